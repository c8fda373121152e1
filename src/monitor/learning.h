// When a site's content baseline is learnt: from the first clean check (its
// page answered 2xx and showed nothing the content checks object to), and
// again from a clean check once the baseline is a day old, so that a page
// that changes a little every day (news, dates) is followed while one that
// is replaced at once is not. A page with findings never becomes the
// baseline: an analyst who accepts a change resets the baseline, and the
// next clean check learns it. Pure.
#pragma once

#include <memory>
#include <optional>

#include "model/site.h"
#include "monitor/check.h"

namespace jaga::monitor {

constexpr double kBaselineRefreshSeconds = 24 * 3600;

// `learned_at` is the Unix time the current baseline was learnt, or none.
bool learns_baseline(const SiteCheck& check, std::optional<double> learned_at, double now,
                     double refresh_seconds = kBaselineRefreshSeconds);

// The baseline as the store keeps it, from a check's page.
SiteBaseline stored_baseline(int64_t site_id, const SiteCheck& check);

// The baseline the checks compare with: the stored one (when there is one)
// and the site's expected keywords.
std::shared_ptr<const PageBaseline> page_baseline(const SiteBaseline* stored, const std::vector<std::string>& keywords);

}  // namespace jaga::monitor
