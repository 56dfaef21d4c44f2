#pragma once
// A throw-away database on the test PostgreSQL that `./pharmasys test` starts
// (PHARMASYS_TEST_PG_URL, a superuser URL). Each fixture gets its own database, dropped after.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "pharmasys/ids.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::testing {

inline std::string TestPgUrl() {
  const char* url = std::getenv("PHARMASYS_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error("PHARMASYS_TEST_PG_URL is not set: run the tests with ./pharmasys test");
  }
  return url;
}

// The same server URL with another database name.
inline std::string WithDatabase(const std::string& url, const std::string& database) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme + 3);
  auto query = url.find('?', scheme + 3);
  std::string base = url.substr(0, slash == std::string::npos ? query : slash);
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + database + tail;
}

// The same URL with other credentials: "postgresql://user:pw@host..." .
inline std::string WithUser(const std::string& url, const std::string& user, const std::string& password) {
  auto scheme = url.find("://") + 3;
  auto at = url.find('@', scheme);
  std::string host_part = at == std::string::npos ? url.substr(scheme) : url.substr(at + 1);
  return url.substr(0, scheme) + user + ":" + password + "@" + host_part;
}

// The database is owned by a role of its own (not a superuser), as a service's database is,
// and has a second role that owns nothing, as a service's runtime role (RULES.md A7):
// url() connects as the owner, runtime_url() as the runtime role (its grants come from the
// service's `migrate`), Superuser() as the test cluster's superuser.
class TestDatabase {
 public:
  TestDatabase() : name_("t_" + ids::RandomHex(6)) {
    const std::string password = ids::RandomHex(12);
    const std::string runtime_password = ids::RandomHex(12);
    Admin("CREATE ROLE " + name_ + " LOGIN PASSWORD '" + password + "'");
    Admin("CREATE ROLE " + runtime_role() + " LOGIN PASSWORD '" + runtime_password + "'");
    Admin("CREATE DATABASE " + name_ + " OWNER " + name_);
    Admin("REVOKE ALL ON DATABASE " + name_ + " FROM PUBLIC");
    superuser_url_ = WithDatabase(TestPgUrl(), name_);
    url_ = WithUser(superuser_url_, name_, password);
    runtime_url_ = WithUser(superuser_url_, runtime_role(), runtime_password);
  }
  ~TestDatabase() {
    try {
      Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      Admin("DROP ROLE IF EXISTS " + runtime_role());
      Admin("DROP ROLE IF EXISTS " + name_);
    } catch (...) {
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& runtime_url() const { return runtime_url_; }
  const std::string& superuser_url() const { return superuser_url_; }
  std::string runtime_role() const { return name_ + "_app"; }
  const std::string& name() const { return name_; }
  // Runs SQL as the superuser in the test database (to play the part of an intruder, etc.).
  void Superuser(const std::string& sql) const {
    pg::Connection c(superuser_url_, "test-superuser", std::chrono::seconds(30));
    c.ExecSimple(sql);
  }

 private:
  static void Admin(const std::string& sql) {
    pg::Connection c(TestPgUrl(), "test-admin", std::chrono::seconds(30));
    c.ExecSimple(sql);
  }
  std::string name_;
  std::string url_;
  std::string runtime_url_;
  std::string superuser_url_;
};

}  // namespace pharmasys::testing
