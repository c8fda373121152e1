// Which of a check's findings deserve an incident, and when: a site that is
// down only after several failed checks in a row (one timeout is not an
// outage), a defacement or injected spam at once, a certificate that has
// expired, is not trusted or expires within a week. Pure.
#pragma once

#include <string>
#include <vector>

#include "model/incident.h"
#include "model/site.h"
#include "monitor/check.h"

namespace jaga::monitor {

struct AlertRules {
  int down_after = 3;  // failed checks in a row before a site counts as down
  SlaPolicy sla;
};

// `failures_in_row` counts this check. Fills the record's problems and the
// kinds it could not judge (a page that did not answer says nothing of
// defacement, and a failure too few says nothing yet of an outage).
void judge_problems(const SiteCheck& check, int failures_in_row, const AlertRules& rules, SiteCheckRecord& record);

}  // namespace jaga::monitor
