#include "model/incident.h"

#include <gtest/gtest.h>

#include "util/time.h"

namespace jaga {
namespace {

using S = IncidentStatus;

TEST(Incident, TheLifecycleFollowsTheAllowedTransitions) {
  EXPECT_TRUE(transition_allowed(S::new_, S::triaged));
  EXPECT_TRUE(transition_allowed(S::triaged, S::in_progress));
  EXPECT_TRUE(transition_allowed(S::in_progress, S::waiting_on_organisation));
  EXPECT_TRUE(transition_allowed(S::waiting_on_organisation, S::in_progress));
  EXPECT_TRUE(transition_allowed(S::in_progress, S::resolved));
  EXPECT_TRUE(transition_allowed(S::resolved, S::closed));
  EXPECT_TRUE(transition_allowed(S::closed, S::in_progress)) << "reopen";
  EXPECT_TRUE(transition_allowed(S::resolved, S::in_progress)) << "reopen";
  EXPECT_FALSE(transition_allowed(S::new_, S::closed)) << "nothing is closed without being looked at";
  EXPECT_FALSE(transition_allowed(S::new_, S::in_progress)) << "triage first";
  EXPECT_FALSE(transition_allowed(S::closed, S::resolved));
  EXPECT_FALSE(transition_allowed(S::triaged, S::triaged));
  EXPECT_EQ(next_statuses(S::in_progress), (std::vector<S>{S::waiting_on_organisation, S::resolved}));
}

TEST(Incident, NamesRoundTrip) {
  for (S s : {S::new_, S::triaged, S::in_progress, S::waiting_on_organisation, S::resolved, S::closed})
    EXPECT_EQ(parse_incident_status(to_string(s)), s);
  EXPECT_EQ(to_string(S::waiting_on_organisation), "waiting_on_organisation");
  EXPECT_FALSE(parse_incident_status("done"));
  EXPECT_EQ(parse_severity("critical"), Severity::critical);
  EXPECT_FALSE(parse_severity("urgent"));
  EXPECT_EQ(parse_tlp("amber+strict"), Tlp::amber_strict);
  EXPECT_EQ(parse_tlp("TLP:RED"), Tlp::red);
  EXPECT_EQ(parse_tlp("clear"), Tlp::clear);
  EXPECT_EQ(to_string(Tlp::amber_strict), "TLP:AMBER+STRICT");
  EXPECT_FALSE(parse_tlp("TLP:WHITE")) << "TLP 1.0's WHITE is CLEAR in 2.0";
  EXPECT_EQ(parse_tlp_any_version("tlp:white"), Tlp::clear) << "imports read what older peers write";
  EXPECT_EQ(parse_tlp_any_version("amber"), Tlp::amber);
  EXPECT_FALSE(parse_tlp_any_version("purple"));
}

TEST(Incident, References) {
  EXPECT_EQ(incident_reference(2026, 42), "INC-2026-000042");
  EXPECT_TRUE(looks_like_incident_reference("INC-2026-000042"));
  EXPECT_TRUE(looks_like_incident_reference("INC-2026-1234567"));
  EXPECT_FALSE(looks_like_incident_reference("INC-2026-00004a"));
  EXPECT_FALSE(looks_like_incident_reference("JG-2222-AAAA"));
}

TEST(Incident, DueDatesFollowTheSeverityAndOverdueOnlyCountsOpenIncidents) {
  SlaPolicy policy;
  auto opened = *parse_rfc3339("2026-11-25T08:00:00Z");
  auto [response, resolution] = sla_due(policy, Severity::high, opened);
  EXPECT_EQ(response, "2026-11-25T12:00:00.000Z");
  EXPECT_EQ(resolution, "2026-11-28T08:00:00.000Z");
  IncidentSummary s;
  s.status = S::triaged;
  s.response_due = response;
  s.resolution_due = resolution;
  EXPECT_FALSE(s.overdue("2026-11-25T11:59:00.000Z"));
  EXPECT_TRUE(s.overdue("2026-11-25T12:01:00.000Z")) << "no first response in time";
  s.first_response_at = "2026-11-25T09:00:00.000Z";
  EXPECT_FALSE(s.overdue("2026-11-25T12:01:00.000Z"));
  EXPECT_TRUE(s.overdue("2026-11-28T08:00:01.000Z")) << "not resolved in time";
  s.status = S::resolved;
  EXPECT_FALSE(s.overdue("2026-12-30T00:00:00.000Z"));
}

}  // namespace
}  // namespace jaga
