#include "stix/object.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace jaga::stix {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const char* kIndicator = R"({"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",)"
                         R"("created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z",)"
                         R"("pattern":"[domain-name:value = 'evil.example']","pattern_type":"stix",)"
                         R"("valid_from":"2016-01-01T00:00:00Z","x_desk_note":{"kept":true},)"
                         R"("object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]})";

TEST(StixObject, RealBundlesFromOtherToolsAreRead) {
  std::filesystem::path data = JAGA_SHARED_DATA "/stix";
  struct Case {
    const char* file;
    size_t objects;
  } cases[] = {{"mitre-attack/ics-attack.json", 1826},
               {"examples/threat-reports/apt1.json", 76},
               {"examples/threat-reports/poisonivy.json", 155},
               {"examples/indicators-for-C2-with-COA.json", 8},
               {"examples/infrastructure.json", 10},
               {"examples/malicious-email-indicator-with-attachment.json", 6},
               {"examples/indicator-to-campaign-relationship.json", 3},
               {"examples/indicator-for-c2-ip-address.json", 1}};
  for (const auto& c : cases) {
    auto objects = read_bundle(read_file(data / c.file));
    ASSERT_TRUE(objects) << c.file << ": " << objects.error().message;
    EXPECT_EQ(objects->size(), c.objects) << c.file;
  }
  // ATT&CK's custom types and properties are kept as they were.
  auto attack = read_bundle(read_file(data / "mitre-attack/ics-attack.json"));
  ASSERT_TRUE(attack);
  auto custom = std::find_if(attack->begin(), attack->end(), [](const Object& o) { return o.type == "x-mitre-tactic"; });
  ASSERT_NE(custom, attack->end());
  EXPECT_NE(custom->json.find("x_mitre_shortname"), std::string::npos);
}

TEST(StixObject, CommonPropertiesAreReadAndTheTextKept) {
  auto object = read_object(kIndicator);
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(object->type, "indicator");
  EXPECT_EQ(object->id, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
  EXPECT_EQ(object->spec_version, "2.1");
  EXPECT_EQ(object->modified, "2016-04-06T20:03:48.000Z");
  EXPECT_EQ(object->version, "2016-04-06T20:03:48.000000Z");
  EXPECT_EQ(object->tlp, Tlp::green);
  EXPECT_EQ(object->json, kIndicator);
}

TEST(StixObject, TheMostRestrictiveTlpOfObjectAndGranularMarkingsCounts) {
  std::string text = R"({"type":"note","spec_version":"2.1","id":"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",)"
                     R"("created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","content":"x",)"
                     R"("object_refs":["incident--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"],)"
                     R"("object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],)"
                     R"("granular_markings":[{"marking_ref":"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed","selectors":["content"]}]})";
  auto object = read_object(text);
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(object->tlp, Tlp::red);  // TLP 1.0 GREEN on the object, TLP 1.0 RED on its content
  auto clear = read_object(R"({"type":"domain-name","id":"domain-name--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","value":"a.example"})");
  ASSERT_TRUE(clear) << clear.error().message;
  EXPECT_FALSE(clear->tlp);
  EXPECT_EQ(clear->version, "");
  EXPECT_EQ(clear->spec_version, "2.1");
}

TEST(StixObject, MalformedObjectsAreRefusedWithThePathOfTheFirstError) {
  struct Case {
    std::string text;
    std::string field;
    std::string words;
  } cases[] = {
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[)" + std::string(kIndicator) + R"(,[1]]})",
       "/objects/1", "must be a JSON object"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"indicator"}]})",
       "/objects/0/id", "required"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"Indicator","id":"x"}]})",
       "/objects/0/type", "not a STIX type name"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"indicator","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}]})",
       "/objects/0/id", "not an identifier of type indicator"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"incident","spec_version":"2.1","id":"incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-02T00:00:00Z","modified":"2026-01-01T00:00:00Z","name":"x"}]})",
       "/objects/0/modified", "earlier than created"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"incident","spec_version":"2.1","id":"incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01 00:00:00","modified":"2026-01-01T00:00:00Z","name":"x"}]})",
       "/objects/0/created", "not a STIX timestamp"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"incident","spec_version":"2.1","id":"incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00+07:00","modified":"2026-01-01T00:00:00Z","name":"x"}]})",
       "/objects/0/created", "in UTC"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"report","spec_version":"2.1","id":"report--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","name":"x","published":"2026-01-01T00:00:00Z"}]})",
       "/objects/0/object_refs", "required of a report"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"incident","spec_version":"3.0","id":"incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","name":"x"}]})",
       "/objects/0/spec_version", "not a STIX version"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"incident","spec_version":"2.1","id":"incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","name":"x","object_marking_refs":["TLP:RED"]}]})",
       "/objects/0/object_marking_refs/0", "not a STIX identifier"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"incident","spec_version":"2.1","id":"incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","name":"x","bad name":1}]})",
       "/objects/0", "property name \"bad name\""},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"sighting","spec_version":"2.1","id":"sighting--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","sighting_of_ref":"evil.example"}]})",
       "/objects/0/sighting_of_ref", "not a STIX identifier"},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",)",
       "", "not valid JSON"},
      {R"({"type":"bundle","objects":[]})", "/id", "bundle--UUID"},
      {R"({"type":"grouping","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[]})", "/type", "the type \"bundle\""},
      {R"({"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":{}})", "/objects", "must be a list"},
      {R"([])", "", "not a STIX bundle"},
  };
  for (const auto& c : cases) {
    auto result = read_bundle(c.text);
    ASSERT_FALSE(result) << c.text;
    EXPECT_EQ(result.error().field, c.field) << c.text << "\n" << result.error().message;
    EXPECT_NE(result.error().message.find(c.words), std::string::npos) << result.error().message;
  }
}

TEST(StixObject, EnvelopesCarryMoreAndNext) {
  auto envelope = read_envelope(std::string(R"({"more":true,"next":"abc","objects":[)") + kIndicator + "]}");
  ASSERT_TRUE(envelope) << envelope.error().message;
  EXPECT_TRUE(envelope->more);
  EXPECT_EQ(envelope->next, "abc");
  ASSERT_EQ(envelope->objects.size(), 1u);
  auto empty = read_envelope("{}");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->objects.empty());
  EXPECT_FALSE(read_envelope(R"({"more":"yes"})"));
}

TEST(StixObject, TimestampsOfAnyPrecisionCompareAsText) {
  EXPECT_EQ(normal_timestamp("2016-04-06T20:03:00Z"), "2016-04-06T20:03:00.000000Z");
  EXPECT_EQ(normal_timestamp("2016-04-06T20:03:00.1Z"), "2016-04-06T20:03:00.100000Z");
  EXPECT_EQ(normal_timestamp("2016-04-06T20:03:00.123456789Z"), "2016-04-06T20:03:00.123456Z");
  for (auto bad : {"2016-04-06", "2016-04-06T20:03:00", "2016-13-06T20:03:00Z", "2016-04-06T20:03:00.Z",
                   "2016-04-06T20:03:00+00:00", "2016-04-06T25:03:00Z"})
    EXPECT_FALSE(normal_timestamp(bad)) << bad;
}

}  // namespace
}  // namespace jaga::stix
