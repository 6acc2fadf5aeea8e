// Module RidgepointCharts: under construction in this change.
