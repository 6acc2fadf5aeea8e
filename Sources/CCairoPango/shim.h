#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <fontconfig/fontconfig.h>
// GLib/Pango function-like macros are not imported by Swift: re-exported as static inline.
// (A systemLibrary target cannot compile .c files; static inline functions in the header work.)
static inline void CCairoPango_object_unref(void *object) { g_object_unref(object); }
static inline PangoCairoFontMap *CCairoPango_as_cairo_font_map(PangoFontMap *fm) { return PANGO_CAIRO_FONT_MAP(fm); }
static inline void CCairoPango_error_free(GError *error) { if (error) g_error_free(error); }
/// Points a PangoCairo (fontconfig-based) font map at `config` instead of the process-wide one.
static inline void CCairoPango_font_map_set_config(PangoFontMap *fm, FcConfig *config) {
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), config);
}

// MARK: PNG through libpng directly (see Sources/CairoBackend/PNGEncoder.swift)
//
// libpng reports errors with setjmp/longjmp, which Swift cannot use, so the whole encoding runs
// here: cairo's native-endian premultiplied ARGB32 rows become 8-bit RGB rows (flattened onto
// white: c + 255 − a per channel, the identity for the opaque pages CairoCanvas draws), written
// with the given zlib level and row filter, no ancillary chunks (no tIME/tEXt/bKGD/pHYs), so
// the same pixels always give the same bytes.
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/// Receives encoded bytes; returns 0 on success, non-zero to abort the encoding.
typedef int (*CCairoPango_png_write_func)(void *closure, const unsigned char *data, size_t length);

enum {
    CCAIROPANGO_PNG_OK = 0,
    CCAIROPANGO_PNG_BAD_ARGUMENT = 1,
    CCAIROPANGO_PNG_NO_MEMORY = 2,
    CCAIROPANGO_PNG_LIBPNG_ERROR = 3,
    CCAIROPANGO_PNG_WRITE_ERROR = 4,
};

/// Row filters for CCairoPango_write_png_rgb (libpng's PNG_FILTER_* masks).
enum {
    CCAIROPANGO_PNG_FILTER_NONE = PNG_FILTER_NONE,
    CCAIROPANGO_PNG_FILTER_SUB = PNG_FILTER_SUB,
    CCAIROPANGO_PNG_FILTER_UP = PNG_FILTER_UP,
    CCAIROPANGO_PNG_FILTER_PAETH = PNG_FILTER_PAETH,
    CCAIROPANGO_PNG_FILTER_ALL = PNG_ALL_FILTERS,
};

typedef struct {
    CCairoPango_png_write_func write;
    void *closure;
    int write_failed;
} CCairoPango_png_io;

static inline void CCairoPango_png_write_data(png_structp png, png_bytep data, size_t length) {
    CCairoPango_png_io *io = (CCairoPango_png_io *)png_get_io_ptr(png);
    if (io->write(io->closure, data, length) != 0) {
        io->write_failed = 1;
        png_error(png, "write callback failed");
    }
}

static inline void CCairoPango_png_flush(png_structp png) { (void)png; }

static inline void CCairoPango_png_error(png_structp png, png_const_charp message) {
    (void)message;
    png_longjmp(png, 1);
}

static inline void CCairoPango_png_warning(png_structp png, png_const_charp message) {
    (void)png; (void)message;
}

/// Encodes `height` rows of `width` ARGB32 pixels (`stride` bytes apart) as an 8-bit RGB PNG,
/// passing the bytes to `write`. `level` is the zlib level (0…9), `filters` a mask of
/// CCAIROPANGO_PNG_FILTER_*. Returns CCAIROPANGO_PNG_OK or an error code.
static inline int CCairoPango_write_png_rgb(const unsigned char *pixels, int stride, int width, int height,
                                            int level, int filters, CCairoPango_png_write_func write,
                                            void *closure) {
    if (!pixels || !write || width < 1 || height < 1 || width > 1000000 || height > 1000000
        || stride < width * 4 || level < 0 || level > 9) {
        return CCAIROPANGO_PNG_BAD_ARGUMENT;
    }
    CCairoPango_png_io io = { write, closure, 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, CCairoPango_png_error,
                                              CCairoPango_png_warning);
    if (!png) return CCAIROPANGO_PNG_NO_MEMORY;
    png_infop info = png_create_info_struct(png);
    unsigned char *row = (unsigned char *)malloc((size_t)width * 3);
    if (!info || !row) {
        free(row);
        png_destroy_write_struct(&png, info ? &info : NULL);
        return CCAIROPANGO_PNG_NO_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        // Reached through png_longjmp from CCairoPango_png_error; png, info and row were set
        // before setjmp and not modified since, so they are valid here.
        free(row);
        png_destroy_write_struct(&png, &info);
        return ((volatile CCairoPango_png_io *)&io)->write_failed ? CCAIROPANGO_PNG_WRITE_ERROR
                                                                  : CCAIROPANGO_PNG_LIBPNG_ERROR;
    }
    png_set_write_fn(png, &io, CCairoPango_png_write_data, CCairoPango_png_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    png_set_compression_buffer_size(png, 1 << 16);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    png_write_info(png, info);
    for (int y = 0; y < height; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(pixels + (size_t)y * (size_t)stride);
        unsigned char *dst = row;
        for (int x = 0; x < width; x++) {
            uint32_t p = src[x];
            uint32_t white = 255u - (p >> 24);
            dst[0] = (unsigned char)(((p >> 16) & 0xFFu) + white);
            dst[1] = (unsigned char)(((p >> 8) & 0xFFu) + white);
            dst[2] = (unsigned char)((p & 0xFFu) + white);
            dst += 3;
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return CCAIROPANGO_PNG_OK;
}
