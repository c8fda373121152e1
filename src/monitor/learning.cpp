#include "monitor/learning.h"

namespace jaga::monitor {

bool learns_baseline(const SiteCheck& check, std::optional<double> learned_at, double now, double refresh_seconds) {
  if (!check.up || !check.page.answered || check.status < 200 || check.status > 299 || check.page.body_cut) return false;
  if (!check.analysis.findings.empty()) return false;
  // An analysis kept from an earlier check has dropped the page's words: the
  // baseline is learnt from a page read afresh (a page that changes is).
  if (check.analysis.content.text.empty() && !check.analysis.sketch.hashes.empty()) return false;
  return !learned_at || now - *learned_at >= refresh_seconds;
}

SiteBaseline stored_baseline(int64_t site_id, const SiteCheck& check) {
  const PageContent& content = check.analysis.content;
  SiteBaseline b;
  b.site_id = site_id;
  b.learned_at = check.checked_at;
  b.title = content.title;
  b.sketch = sketch_to_hex(check.analysis.sketch);
  b.script_hosts = content.script_hosts;
  b.frame_hosts = content.frame_hosts;
  b.text = content.text.substr(0, kBaselineTextLimit);
  return b;
}

std::shared_ptr<const PageBaseline> page_baseline(const SiteBaseline* stored, const std::vector<std::string>& keywords) {
  if (!stored && keywords.empty()) return nullptr;
  auto out = std::make_shared<PageBaseline>();
  out->keywords = keywords;
  if (stored) {
    out->sketch = parse_sketch(stored->sketch);
    out->title = stored->title;
    out->script_hosts = stored->script_hosts;
    out->frame_hosts = stored->frame_hosts;
  }
  return out;
}

}  // namespace jaga::monitor
