#include "intel/registry_csv.h"

#include <gtest/gtest.h>

namespace jaga {
namespace {

constexpr const char* kSample =
    "name,parent,kind,language,domains,networks,asns,contact_name,contact_email,contact_phone\n"
    "Kementerian Keuangan Contoh,,ministry,id,keuangan-contoh.go.id,192.0.2.0/26,AS64500,CSIRT Keuangan,CSIRT@keuangan-contoh.go.id,+62 21 5550 1000\n"
    "Direktorat Pajak Contoh,Kementerian Keuangan Contoh,agency,,pajak-contoh.go.id; sso.keuangan-contoh.go.id,192.0.2.64/27 2001:db8:10::/48,,Admin Pajak,admin@pajak-contoh.go.id,\n"
    "Kementerian Keuangan Contoh,,,,,,,Piket Malam,piket@keuangan-contoh.go.id,+62 21 5550 1001\n";

TEST(RegistryCsv, ReadsMergesAndCanonicalises) {
  auto orgs = read_registry_csv(kSample);
  ASSERT_TRUE(orgs.ok()) << orgs.error().message;
  ASSERT_EQ(orgs->size(), 2u);
  const auto& kemenkeu = (*orgs)[0];
  EXPECT_EQ(kemenkeu.kind, "ministry");
  EXPECT_EQ(kemenkeu.asns, (std::vector<int64_t>{64500}));
  ASSERT_EQ(kemenkeu.contacts.size(), 2u) << "the repeated row adds a contact";
  EXPECT_EQ(kemenkeu.contacts[0].email, "csirt@keuangan-contoh.go.id");
  const auto& pajak = (*orgs)[1];
  EXPECT_EQ(pajak.parent_name, "Kementerian Keuangan Contoh");
  EXPECT_EQ(pajak.language, "id");
  EXPECT_EQ(pajak.domains, (std::vector<std::string>{"pajak-contoh.go.id", "sso.keuangan-contoh.go.id"}));
  EXPECT_EQ(pajak.networks, (std::vector<std::string>{"192.0.2.64/27", "2001:db8:10::/48"}));
}

TEST(RegistryCsv, WritesWhatItReads) {
  auto orgs = read_registry_csv(kSample);
  auto again = read_registry_csv(write_registry_csv(*orgs));
  ASSERT_TRUE(again.ok()) << again.error().message;
  ASSERT_EQ(again->size(), 2u);
  EXPECT_EQ((*again)[0].contacts.size(), 2u);
  EXPECT_EQ((*again)[1].networks, (*orgs)[1].networks);
  EXPECT_EQ((*again)[1].parent_name, (*orgs)[1].parent_name);
}

TEST(RegistryCsv, NamesTheRowAndWhatIsWrong) {
  auto error = [](std::string body) {
    auto r = read_registry_csv("name,kind,domains,networks,asns,contact_email,language\n" + body);
    return r.ok() ? std::string("accepted") : r.error().message;
  };
  EXPECT_EQ(error("A,ministry,not a domain!,,,,\n"), "row 2: 'not' in domains is not a domain name");
  EXPECT_EQ(error("A,ministry,,10.0.0.0/33,,,\n"), "row 2: '10.0.0.0/33' in networks is not an IP range such as 103.10.20.0/24");
  EXPECT_EQ(error("A,kingdom,,,,,\n"), "row 2: kind must be ministry, agency, province, regency, city or other, not 'kingdom'");
  EXPECT_EQ(error("A,ministry,,,ASx,,\n"), "row 2: 'x' in asns is not an AS number");
  EXPECT_EQ(error("A,ministry,,,,nobody,\n"), "row 2: 'nobody' is not an email address");
  EXPECT_EQ(error(",ministry,,,,,\n"), "row 2: the name is empty");
  EXPECT_EQ(error("A,ministry,,,,,fr\n"), "row 2: language must be id, en or zh, not 'fr'");
  EXPECT_EQ(read_registry_csv("title,domains\nA,a.go.id\n").error().message, "row 1: there is no 'name' column");
  EXPECT_EQ(read_registry_csv("name,title\nA,B\n").error().message, "row 1: unknown column 'title'");
}

}  // namespace
}  // namespace jaga
