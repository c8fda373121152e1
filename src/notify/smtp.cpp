#include "notify/smtp.h"

#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <vector>

namespace jaga::notify {

namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t room = size * count;
  size_t left = upload->data->size() - upload->offset;
  size_t n = std::min(room, left);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// Keeps the server's reply lines ("550 5.1.1 No such mailbox here"), which
// say more to a person than libcurl's summary of them.
int remember_reply(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  auto* replies = static_cast<std::vector<std::string>*>(user);
  if (line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) && replies->size() < 50)
    replies->push_back(line.substr(0, 300));
  return 0;
}

class SmtpSender final : public MailSender {
 public:
  explicit SmtpSender(SmtpSettings settings) : settings_(std::move(settings)) {}

  SendResult send(const std::string& from, const std::string& to, const std::string& message) override {
    SendResult result;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
      result.error = "the mail library could not start";
      return result;
    }
    char error_buffer[CURL_ERROR_SIZE] = {0};
    std::string mail_from = "<" + from + ">";
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    Upload upload{&message};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    std::vector<std::string> replies;
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, remember_reply);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &replies);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(settings_.timeout_seconds, 10)));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout_seconds));
    if (settings_.tls == "required") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    else if (settings_.tls == "try") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    if (!settings_.username.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    CURLcode code = curl_easy_perform(c);
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    curl_slist_free_all(recipients);
    result.smtp_code = static_cast<int>(reply);
    if (code == CURLE_OK) {
      result.sent = true;
      return result;
    }
    result.permanent = reply >= 500 && reply < 600;
    result.error = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    if (reply > 0) {
      // The line of the refusing reply, not the goodbye after it.
      std::string code = std::to_string(reply), said = code + ": " + result.error;
      for (const auto& line : replies)
        if (line.compare(0, code.size(), code) == 0) said = line;
      result.error = "the mail server answered " + said;
    }
    return result;
  }

 private:
  SmtpSettings settings_;
};

}  // namespace

std::unique_ptr<MailSender> make_smtp_sender(SmtpSettings settings) {
  // Once per process, before any thread uses libcurl.
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  return std::make_unique<SmtpSender>(std::move(settings));
}

}  // namespace jaga::notify
