#include "compiler/diagnostics/render.h"

namespace seg {

std::string render(DiagFormat f, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                   const RenderOptions& opt) {
  switch (f) {
    case DiagFormat::Human: return render_human(sm, diags, opt);
    case DiagFormat::Json: return render_json(sm, diags);
    case DiagFormat::Sarif: return render_sarif(sm, diags, opt);
    case DiagFormat::Github: return render_github(sm, diags);
  }
  return render_human(sm, diags, opt);
}

}  // namespace seg
