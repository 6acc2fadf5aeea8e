// Module Teaching: under construction in this change.
