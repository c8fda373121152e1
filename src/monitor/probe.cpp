#include "monitor/probe.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <set>
#include <map>
#include <vector>

#include "monitor/content.h"
#include "util/time.h"

namespace jaga::monitor {

struct Prober::Transfer {
  Request request;
  std::function<void(Exchange)> done;
  CURL* easy = nullptr;
  Exchange exchange;
  bool tls_read = false;
};

struct Prober::State {
  CURLM* multi = nullptr;
  int in_flight = 0;
  std::set<Prober::Transfer*> transfers;  // in flight, owned here
  // Easy handles of finished transfers, reset, for the next ones: a handle
  // and its buffers cost more to make than the check they serve.
  std::vector<CURL*> idle;
  // The authorities certificates are judged by, loaded once for all
  // connections (by the extra file each adds; "" for the system's alone): a
  // bundle parsed for every handshake cost more than the handshake. Null
  // when the extra file could not be read.
  std::map<std::string, X509_STORE*> trust;
};

constexpr size_t kIdleHandles = 64;

namespace {

std::string name_of(X509_NAME* name) {
  if (!name) return "";
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(std::max(size, 0L)));
  BIO_free(bio);
  return out;
}

// The certificate the server showed, judged against the trusted
// authorities and the name asked for; the connection itself did not insist.
void read_certificate(SSL* ssl, const std::string& host, Certificate& out) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return;
  out.present = true;
  out.subject = name_of(X509_get_subject_name(cert));
  out.issuer = name_of(X509_get_issuer_name(cert));
  const ASN1_TIME* not_after = X509_get0_notAfter(cert);
  struct tm when {};
  if (ASN1_TIME_to_tm(not_after, &when) == 1) {
    out.not_after = format_rfc3339(Clock::from_time_t(timegm(&when)));
    int days = 0, seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, nullptr, not_after) == 1) out.days_left = days - (seconds < 0 ? 1 : 0);
  }
  long verdict = SSL_get_verify_result(ssl);
  if (verdict != X509_V_OK) {
    out.error = X509_verify_cert_error_string(verdict);
  } else {
    std::string name = host;
    if (name.size() > 2 && name.front() == '[') name = name.substr(1, name.size() - 2);
    bool is_ip = name.find(':') != std::string::npos ||
                 std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
    int named = is_ip ? X509_check_ip_asc(cert, name.c_str(), 0) : X509_check_host(cert, name.c_str(), name.size(), 0, nullptr);
    if (named == 1) out.valid = true;
    else out.error = "the certificate is not for " + name;
  }
  X509_free(cert);
}

void read_tls(Prober::Transfer& t);

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Prober::Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (!t.tls_read) read_tls(t);
  if (line.rfind("HTTP/", 0) == 0) {
    t.exchange.headers.clear();  // a 100 Continue's headers are not the answer's
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  t.exchange.headers.emplace_back(std::move(name), std::string(value));
  return n;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Prober::Transfer*>(user);
  size_t n = size * count;
  size_t room = t.request.max_body - std::min(t.request.max_body, t.exchange.body.size());
  if (n > room) {
    t.exchange.body.append(data, room);
    t.exchange.body_cut = true;
    return 0;  // enough: curl stops with CURLE_WRITE_ERROR, which is not a failure here
  }
  // Most pages say how long they are, and one allocation then holds them.
  if (t.exchange.body.empty()) {
    curl_off_t length = -1;
    curl_easy_getinfo(t.easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length > 0) t.exchange.body.reserve(std::min(static_cast<size_t>(length), t.request.max_body));
  }
  t.exchange.body.append(data, n);
  return n;
}

// The system's authorities and the extra file's, for every connection that names it.
X509_STORE* load_trust(const std::string& extra_file) {
  X509_STORE* store = X509_STORE_new();
  if (!store) return nullptr;
  X509_STORE_set_default_paths(store);
  if (!extra_file.empty() && X509_STORE_load_file(store, extra_file.c_str()) != 1) {
    X509_STORE_free(store);
    return nullptr;
  }
  return store;
}

// The connection judges the peer with the shared authorities (OpenSSL
// records the verdict even though the handshake does not insist on it).
CURLcode use_trust(CURL*, void* ssl_ctx, void* user) {
  auto* store = static_cast<X509_STORE*>(user);
  if (!store) return CURLE_SSL_CACERT_BADFILE;
  SSL_CTX_set1_cert_store(static_cast<SSL_CTX*>(ssl_ctx), store);
  return CURLE_OK;
}

double ms(curl_off_t micros) { return static_cast<double>(micros) / 1000.0; }

}  // namespace

namespace {
void read_tls(Prober::Transfer& t) {
  t.tls_read = true;
  struct curl_tlssessioninfo* info = nullptr;
  if (curl_easy_getinfo(t.easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info) return;
  if (info->backend != CURLSSLBACKEND_OPENSSL || !info->internals) return;
  auto* ssl = static_cast<SSL*>(info->internals);
  t.exchange.tls_version = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) t.exchange.cipher = SSL_CIPHER_get_name(cipher);
  read_certificate(ssl, url_host(t.request.url), t.exchange.certificate);
}
}  // namespace

Prober::Prober() : state_(std::make_unique<State>()) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  state_->multi = curl_multi_init();
}

Prober::~Prober() {
  // Transfers still in flight are dropped without their callbacks.
  for (Transfer* t : state_->transfers) {
    curl_multi_remove_handle(state_->multi, t->easy);
    curl_easy_cleanup(t->easy);
    delete t;
  }
  for (CURL* easy : state_->idle) curl_easy_cleanup(easy);
  for (auto& [file, store] : state_->trust) X509_STORE_free(store);
  if (state_->multi) curl_multi_cleanup(state_->multi);
}

void Prober::add(Request request, std::function<void(Exchange)> done) {
  auto* t = new Transfer{std::move(request), std::move(done)};
  t->exchange.url = t->request.url;
  CURL* easy = nullptr;
  if (!state_->idle.empty()) {
    easy = state_->idle.back();
    state_->idle.pop_back();
  } else {
    easy = curl_easy_init();
  }
  t->easy = easy;
  curl_easy_setopt(easy, CURLOPT_URL, t->request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  // Every request on a connection of its own: each check measures the whole
  // of DNS, connect and the TLS handshake, as a visitor's first visit does.
  curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  // A reused handle would resume an earlier TLS session, and a resumed
  // session shows the certificate of then, not the server's now.
  curl_easy_setopt(easy, CURLOPT_SSL_SESSIONID_CACHE, 0L);
  // Nor is a name kept: each check resolves it afresh, as a first visit
  // does. Kept names also cost every new connection a walk over all of
  // them (curl prunes its cache of names entry by entry, and with a
  // thousand sites that walk was a fifth of the monitor's CPU).
  curl_easy_setopt(easy, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, t->request.timeout_ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, std::min(t->request.timeout_ms, 5000L));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "jaga-monitor/1");
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
  // The certificate is judged by read_certificate, so that a site behind a
  // bad one is still read and reported on.
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  auto trust = state_->trust.find(t->request.ca_file);
  if (trust == state_->trust.end()) trust = state_->trust.emplace(t->request.ca_file, load_trust(t->request.ca_file)).first;
  curl_easy_setopt(easy, CURLOPT_CAINFO, nullptr);  // curl loads no bundle of its own
  curl_easy_setopt(easy, CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, use_trust);
  curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, trust->second);
  long family = t->request.family == Request::Family::ipv4   ? CURL_IPRESOLVE_V4
                : t->request.family == Request::Family::ipv6 ? CURL_IPRESOLVE_V6
                                                             : CURL_IPRESOLVE_WHATEVER;
  curl_easy_setopt(easy, CURLOPT_IPRESOLVE, family);
  if (t->request.legacy_tls_only) {
    curl_easy_setopt(easy, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_0) | static_cast<long>(CURL_SSLVERSION_MAX_TLSv1_1));
    // The old protocols need the old ciphers and signatures.
    curl_easy_setopt(easy, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
    curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
  }
  curl_multi_add_handle(state_->multi, easy);
  state_->transfers.insert(t);
  ++state_->in_flight;
}

int Prober::in_flight() const { return state_->in_flight; }

void Prober::run() {
  while (state_->in_flight > 0) step(100);
}

void Prober::step(int wait_ms) {
  {
    int running = 0;
    curl_multi_perform(state_->multi, &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(state_->multi, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      CURLcode code = message->data.result;
      Transfer* t = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
      Exchange& e = t->exchange;
      if (t->request.legacy_tls_only && code == CURLE_OK && !t->tls_read) read_tls(*t);
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      e.status = status;
      e.answered = status > 0 && (code == CURLE_OK || (code == CURLE_WRITE_ERROR && e.body_cut));
      if (code == CURLE_OPERATION_TIMEDOUT) {
        char text[64];
        std::snprintf(text, sizeof text, "timed out after %.1f s", static_cast<double>(t->request.timeout_ms) / 1000);
        e.error = text;
      } else if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && e.body_cut)) {
        e.error = curl_easy_strerror(code);
      }
      if (t->request.legacy_tls_only) e.answered = code == CURLE_OK;
      curl_off_t dns = 0, connect = 0, tls = 0, first = 0, total = 0;
      curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &dns);
      curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connect);
      curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &tls);
      curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &first);
      curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total);
      e.timings.dns = ms(dns);
      e.timings.connect = connect > 0 ? ms(connect - dns) : 0;
      e.timings.tls = tls > 0 ? ms(tls - connect) : 0;
      e.timings.first_byte = ms(first);
      e.timings.total = ms(total);
      char* ip = nullptr;
      if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip) e.ip = ip;
      curl_multi_remove_handle(state_->multi, easy);
      if (state_->idle.size() < kIdleHandles) {
        curl_easy_reset(easy);
        state_->idle.push_back(easy);
      } else {
        curl_easy_cleanup(easy);
      }
      --state_->in_flight;
      state_->transfers.erase(t);
      auto done = std::move(t->done);
      Exchange result = std::move(t->exchange);
      delete t;
      done(std::move(result));
    }
    if (state_->in_flight > 0) curl_multi_poll(state_->multi, nullptr, 0, wait_ms, nullptr);
  }
}

}  // namespace jaga::monitor
