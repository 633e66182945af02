// index.html: placeholder until the full grid page lands (issue 5).
#include "report/report.hpp"

namespace routecheck {

std::string index_html(const MatrixReport& report) {
    return "<!doctype html><meta charset=utf-8><title>routecheck</title><pre>" + summary_markdown(report) + "</pre>";
}

}  // namespace routecheck
