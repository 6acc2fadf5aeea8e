// Module Reports: under construction in this change.
