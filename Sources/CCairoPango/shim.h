#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
// GLib/Pango function-like macros are not imported by Swift: re-exported as static inline.
// (A systemLibrary target cannot compile .c files; static inline functions in the header work.)
static inline void CCairoPango_object_unref(void *object) { g_object_unref(object); }
static inline PangoCairoFontMap *CCairoPango_as_cairo_font_map(PangoFontMap *fm) { return PANGO_CAIRO_FONT_MAP(fm); }
static inline void CCairoPango_error_free(GError *error) { if (error) g_error_free(error); }
