#pragma once
// Self-contained SVG charts: #include <xgrad/plot/plot.hpp>

#include <xgrad/plot/axis.hpp>
#include <xgrad/plot/contour.hpp>
#include <xgrad/plot/line_chart.hpp>
#include <xgrad/plot/scatter.hpp>
#include <xgrad/plot/svg.hpp>
