// A report: what a citizen, a business or a desk operator tells the desk about
// one cyber incident. The reporter's contact details are kept apart (Contact)
// because they are personal data that is redacted, exported and deleted on its
// own schedule, without touching the report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jaga {

// How the report reached the desk.
enum class Channel { web, phone, walk_in, letter, email };
std::string_view to_string(Channel channel);
std::optional<Channel> parse_channel(std::string_view text);

enum class ReportStatus { received, in_review, incident_opened, resolved, closed, spam, duplicate };
std::string_view to_string(ReportStatus status);
std::optional<ReportStatus> parse_report_status(std::string_view text);

struct Contact {
  std::string name;
  std::string email;
  std::string phone;
  bool empty() const { return name.empty() && email.empty() && phone.empty(); }
};

// Something the report names: a URL, domain, address, hash or phone number,
// in its canonical form.
struct Indicator {
  std::string type;  // url, domain, ipv4, ipv6, email, md5, sha1, sha256, sha512, phone
  std::string value;
  std::string source;  // "text", or the attachment's file name
  // What correlation joins on (intel/normalise.h correlation_keys).
  std::string registrable, network;
  bool operator==(const Indicator& other) const { return type == other.type && value == other.value; }
};

struct Attachment {
  int64_t id = 0;
  std::string sha256;
  std::string filename;
  std::string media_type;  // detected from the bytes, not trusted from the client
  int64_t size = 0;
  std::string created_at;
};

// Fields the reporter (or the operator on their behalf) supplies.
struct ReportInput {
  std::string category;  // RSIT "class:type"
  std::string description;
  std::string occurred_at;  // RFC 3339 or empty
  std::string involved;     // addresses, numbers and accounts involved, free text
  std::string language = "id";
  bool anonymous = true;
  Contact contact;
  bool consent = false;
  Channel channel = Channel::web;
};

struct NewReport {
  ReportInput input;
  std::string tracking_code;
  std::string secret_hash;  // SHA-256 of the secret, hex
  std::optional<int64_t> operator_id;
  std::vector<Attachment> attachments;
  std::vector<Indicator> indicators;
  std::string created_at;
};

struct Addition {
  int64_t id = 0;
  std::string text;
  std::string created_at;
  std::vector<Attachment> attachments;
};

struct PublicNote {
  int64_t id = 0;
  std::string text;
  std::string created_at;
};

struct Report {
  int64_t id = 0;
  std::string tracking_code;
  std::string secret_hash;
  ReportInput input;
  ReportStatus status = ReportStatus::received;
  std::optional<int64_t> operator_id;
  std::string operator_name;
  std::string created_at;
  std::string updated_at;
  std::vector<Attachment> attachments;  // with the report itself
  std::vector<Indicator> indicators;
  std::vector<Addition> additions;
  std::vector<PublicNote> notes;
  std::vector<std::string> related;  // tracking codes of reports naming the same URL or domain
};

struct ReportSummary {
  std::string tracking_code;
  std::string category;
  Channel channel = Channel::web;
  ReportStatus status = ReportStatus::received;
  std::string created_at;
  std::string description_excerpt;
  int attachment_count = 0;
};

struct ReportFilter {
  std::optional<Channel> channel;
  std::string category;  // exact "class:type" or a class alone
  std::string from;      // RFC 3339, inclusive
  std::string to;        // RFC 3339, exclusive
  std::optional<ReportStatus> status;
  std::string text;      // words or fragments (3 characters or more) in the description, additions or indicators
  int limit = 50;
  int offset = 0;
};

}  // namespace jaga
