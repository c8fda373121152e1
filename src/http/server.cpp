#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "http/problem.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/text.h"

namespace jaga::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  if (query.empty()) return out;
  for (auto pair : split(query, '&')) {
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

// Request ids only need to be unique, not secret: a per-thread splitmix64
// sequence seeded once from the system's randomness, instead of a getrandom
// system call on every request.
std::string new_request_id() {
  thread_local uint64_t state = [] {
    uint64_t seed = 0;
    auto bytes = random_bytes(sizeof seed);
    std::memcpy(&seed, bytes.data(), sizeof seed);
    return seed;
  }();
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  static constexpr char digits[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, z >>= 4) id[i] = digits[z & 0xf];
  return id;
}

// An incoming X-Request-Id is kept when it is short and plain, else replaced.
std::string request_id_from(std::string_view incoming) {
  if (!incoming.empty() && incoming.size() <= 64) {
    bool plain = true;
    for (char c : incoming)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) plain = false;
    if (plain) return std::string(incoming);
  }
  return new_request_id();
}

}  // namespace

class SessionBase;

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  // One io_context per thread, each run by exactly one thread: a connection
  // stays on the context that accepted it, so its handlers never run
  // concurrently and need no strand, and the threads share no scheduler lock.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  size_t next_context = 0;
  net::io_context& ioc;  // the first context: acceptor and signals
  std::unique_ptr<net::ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  std::mutex stop_mutex;
  std::condition_variable stop_requested;  // wakes the watchdog
  std::atomic<bool> stopping{false};
  std::atomic<size_t> active{0};
  std::mutex sessions_mutex;
  std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;  // GUARDED_BY(sessions_mutex)
  uint16_t bound_port = 0;

  Impl(ServerOptions o, const Router& r, Metrics& m)
      : options(std::move(o)), router(r), metrics(m), contexts(make_contexts(options.threads)), ioc(*contexts[0]) {}
  static std::vector<std::unique_ptr<net::io_context>> make_contexts(int threads) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (int i = 0; i < std::max(1, threads); ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }
  void stop_contexts() {
    for (auto& c : contexts) c->stop();
  }
  void accept();
  void begin_stop();
};

class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  virtual void close_if_idle() = 0;
};

template <class Stream>
class Session final : public SessionBase {
 public:
  Session(Server::Impl& server, Stream&& stream) : server_(server), stream_(std::move(stream)) {
    ++server_.active;
  }
  ~Session() override { --server_.active; }

  void start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      read_header();
    } else {
      beast::get_lowest_layer(stream_).expires_after(server_.options.header_timeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = shared()](beast::error_code ec) {
                                if (ec) return self->close();
                                self->read_header();
                              });
    }
  }

  void close_if_idle() override {
    net::post(stream_.get_executor(), [self = shared()] {
      if (self->idle_ && self->buffer_.size() == 0) self->close();
    });
  }

 private:
  std::shared_ptr<Session> shared() { return std::static_pointer_cast<Session>(shared_from_this()); }

  void read_header() {
    if (server_.stopping && buffer_.size() == 0) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    parser_->body_limit(boost::none);
    idle_ = true;
    beast::get_lowest_layer(stream_).expires_after(server_.options.header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    idle_ = false;
    started_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == beast::error::timeout) {
      return close();
    }
    request_ = Request{};
    request_.request_id = new_request_id();
    if (ec == bhttp::error::header_limit) {
      return respond_early(problem(431, "", "The request headers are larger than the server accepts."));
    }
    if (ec) return respond_early(problem(400, "", "The request is not valid HTTP/1.1: " + ec.message() + "."));
    auto& header = parser_->get();
    request_.method = std::string(header.method_string());
    request_.target = std::string(header.target());
    request_.secure = !std::is_same_v<Stream, beast::tcp_stream>;
    for (const auto& field : header) {
      request_.headers.emplace_back(to_lower_ascii(field.name_string()), std::string(field.value()));
    }
    if (auto id = request_.header("x-request-id")) request_.request_id = request_id_from(*id);
    if (remote_address_.empty()) {  // once per connection: it is a system call
      beast::error_code endpoint_ec;
      auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(endpoint_ec);
      if (!endpoint_ec) remote_address_ = remote.address().to_string();
    }
    request_.remote_address = remote_address_;
    if (request_.target.empty() || request_.target[0] != '/') {
      return respond_early(problem(400, "", "The request target must be an absolute path."));
    }
    auto query_at = request_.target.find('?');
    request_.path = request_.target.substr(0, query_at);
    if (query_at != std::string::npos) request_.query = parse_query(std::string_view(request_.target).substr(query_at + 1));
    if (!is_valid_utf8(percent_decode(request_.target, false))) {
      return respond_early(problem(400, "", "The request target is not valid UTF-8."));
    }
    match_ = server_.router.match(request_.method, request_.path);
    route_name_ = match_.route ? match_.route->name : "unmatched";
    if (!match_.route) {
      if (!match_.allow.empty()) {
        auto r = problem(405, "", "This resource does not accept " + request_.method + ".");
        r.set("allow", match_.allow);
        return respond_early(std::move(r));
      }
      return respond_early(problem(404, "", "There is nothing at " + request_.path + "."));
    }
    request_.params = match_.params;
    size_t limit = match_.route->max_body;
    if (auto length = parser_->content_length(); length && *length > limit) {
      return respond_early(problem(413, "", "The request body is larger than the " + std::to_string(limit) +
                                                " bytes this resource accepts."));
    }
    parser_->body_limit(limit);
    if (parser_->is_done()) return dispatch();
    beast::get_lowest_layer(stream_).expires_after(server_.options.body_timeout);
    // A client that asks first (curl does for large bodies) waits for this
    // before it sends the body, for a second when it does not come.
    auto expect = request_.header("expect");
    if (expect && iequals(*expect, "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                              [self = shared()](beast::error_code ec, size_t) {
                                if (ec) return self->close();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    // Beast reads as much as the buffer has room for, and the parser empties
    // it after each read: left at the header's size, a large body would come
    // in hundreds of bytes per system call (a 48 MB envelope in about 100,000
    // reads). Room for 64 KiB while a large body comes in, given back after.
    constexpr size_t kLargeBody = 64 * 1024;
    auto length = parser_->content_length();
    bool large = !length || *length > kLargeBody;
    if (large) buffer_.reserve(kLargeBody);
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared(), large](beast::error_code ec, size_t) {
      if (large) self->buffer_.shrink_to_fit();
      if (ec == bhttp::error::body_limit) {
        return self->respond_early(problem(413, "", "The request body is larger than this resource accepts."));
      }
      if (ec) return self->close();
      self->dispatch();
    });
  }

  // Answers before (or instead of) reading the body, then closes: the rest of
  // the request is still on the wire and cannot be skipped safely.
  void respond_early(Response response) {
    // Keep the connection only when no body follows the header we rejected.
    response.close = !parser_ || !parser_->is_header_done() || !parser_->is_done();
    write(std::move(response));
  }

  void dispatch() {
    request_.body = std::move(parser_->get().body());
    keep_alive_ = parser_->get().keep_alive();
    auto reply = [self = shared(), executor = stream_.get_executor()](Response response) {
      net::post(executor, [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
    };
    try {
      match_.route->handler(request_, std::move(reply));
    } catch (const std::exception& e) {
      log::error("handler failed", {{"request_id", request_.request_id}, {"route", route_name_}, {"error", e.what()}});
      write(problem(500, "", "The server could not complete the request."));
    }
  }

  template <class Body>
  void fill(bhttp::response<Body>& res, Response& response) {
    res.result(static_cast<unsigned>(response.status));
    res.version(11);
    res.set(bhttp::field::server, "jaga");
    res.set("x-request-id", request_.request_id);
    for (auto& [name, value] : response.headers) res.insert(name, value);
  }

  void write(Response response) {
    if (server_.options.decorate) server_.options.decorate(request_, response);
    bool keep = keep_alive_ && !response.close && !server_.stopping;
    keep_alive_ = keep;
    status_ = response.status;
    bool head = request_.method == "HEAD";
    if (!response.file_path.empty()) {
      bhttp::file_body::value_type file;
      beast::error_code ec;
      file.open(response.file_path.c_str(), beast::file_mode::scan, ec);
      if (!ec) {
        auto res = std::make_shared<bhttp::response<bhttp::file_body>>();
        fill(*res, response);
        res->body() = std::move(file);
        res->keep_alive(keep);
        res->prepare_payload();
        bytes_ = res->body().size();
        if (head) {
          bhttp::response<bhttp::empty_body> header_only{res->base()};
          auto h = std::make_shared<bhttp::response<bhttp::empty_body>>(std::move(header_only));
          return send(h);
        }
        return send(res);
      }
      response = problem(404, "", "There is nothing at " + request_.path + ".");
      if (server_.options.decorate) server_.options.decorate(request_, response);
      status_ = 404;
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    fill(*res, response);
    res->body() = std::move(response.body);
    res->keep_alive(keep);
    res->prepare_payload();
    bytes_ = res->body().size();
    if (head) res->body().clear();
    send(res);
  }

  template <class Message>
  void send(std::shared_ptr<Message> message) {
    beast::get_lowest_layer(stream_).expires_after(server_.options.body_timeout);
    bhttp::async_write(stream_, *message, [self = shared(), message](beast::error_code ec, size_t) {
      self->finished(ec);
    });
  }

  void finished(beast::error_code ec) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    server_.metrics.observe_request(route_name_, status_, seconds);
    if (server_.options.access_log) {
      // The path only: queries and bodies may carry reporters' personal data.
      log::info("request", {{"request_id", request_.request_id},
                            {"method", request_.method},
                            {"route", route_name_},
                            {"path", request_.path.substr(0, 200)},
                            {"status", status_},
                            {"bytes", static_cast<unsigned long>(bytes_)},
                            {"duration_ms", seconds * 1000.0}});
    }
    if (ec || !keep_alive_) return close();
    request_ = Request{};
    read_header();
  }

  void close() {
    beast::error_code ignored;
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = shared()](beast::error_code) {
        beast::error_code ignore;
        beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ignore);
        beast::get_lowest_layer(self->stream_).close();
      });
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      stream_.close();
    }
  }

  Server::Impl& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  std::string remote_address_;
  RouteMatch match_;
  std::string route_name_ = "unmatched";
  bool keep_alive_ = false;
  bool idle_ = false;
  int status_ = 0;
  size_t bytes_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void Server::Impl::accept() {
  auto& context = *contexts[next_context++ % contexts.size()];  // only the acceptor's thread runs this
  acceptor.async_accept(context, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      log::warn("accept failed", {{"error", ec.message()}});
      return accept();
    }
    if (active >= options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
      return accept();
    }
    socket.set_option(tcp::no_delay(true));
    std::shared_ptr<SessionBase> session;
    if (tls) {
      auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls));
      s->start();
      session = s;
    } else {
      auto s = std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)));
      s->start();
      session = s;
    }
    {
      std::lock_guard lock(sessions_mutex);
      for (auto it = sessions.begin(); it != sessions.end();) it = it->expired() ? sessions.erase(it) : std::next(it);
      sessions.insert(session);
    }
    accept();
  });
}

void Server::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  log::info("stopping: no new connections, finishing requests in flight");
  beast::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& weak : sessions)
      if (auto s = weak.lock()) s->close_if_idle();
  }
  std::lock_guard lock(stop_mutex);
  stop_requested.notify_all();
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() = default;

Status Server::listen() {
  auto& o = impl_->options;
  if (!o.tls_certificate.empty() || !o.tls_private_key.empty()) {
    if (o.tls_certificate.empty() || o.tls_private_key.empty())
      return Error::invalid("TLS needs both tls_certificate and tls_private_key");
    impl_->tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    impl_->tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                            net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                            net::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    impl_->tls->use_certificate_chain_file(o.tls_certificate, ec);
    if (ec) return Error::invalid("cannot load the TLS certificate " + o.tls_certificate + ": " + ec.message());
    impl_->tls->use_private_key_file(o.tls_private_key, net::ssl::context::pem, ec);
    if (ec) return Error::invalid("cannot load the TLS private key " + o.tls_private_key + ": " + ec.message());
  }
  beast::error_code ec;
  auto address = net::ip::make_address(o.host, ec);
  if (ec) return Error::invalid("'" + o.host + "' is not an IP address to listen on");
  tcp::endpoint endpoint(address, o.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::unavailable("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
  }
  impl_->bound_port = acceptor.local_endpoint().port();
  return {};
}

uint16_t Server::port() const { return impl_->bound_port; }

void Server::run() {
  auto& impl = *impl_;
  impl.signals.async_wait([&impl](beast::error_code ec, int) {
    if (!ec) impl.begin_stop();
  });
  impl.accept();
  for (auto& context : impl.contexts) impl.keep_running.push_back(net::make_work_guard(*context));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl.contexts.size(); ++i)
    threads.emplace_back([context = impl.contexts[i].get()] { context->run(); });
  // A watchdog ends the grace period: connections that have not finished by
  // then are cut so that a stuck client cannot hold the shutdown.
  std::thread watchdog([&impl] {
    {
      std::unique_lock lock(impl.stop_mutex);
      impl.stop_requested.wait(lock, [&] { return impl.stopping.load(); });
    }
    auto deadline = std::chrono::steady_clock::now() + impl.options.stop_grace;
    while (impl.active > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    impl.stop_contexts();
  });
  impl.ioc.run();
  for (auto& t : threads) t.join();
  watchdog.join();
}

void Server::stop() {
  net::post(impl_->ioc, [impl = impl_.get()] { impl->begin_stop(); });
}

}  // namespace jaga::http
