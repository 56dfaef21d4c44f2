#include "pharmasys/http/idempotency.hpp"

#include <gtest/gtest.h>

#include <future>

#include "pg_support.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/pg/migrations.hpp"

namespace pharmasys::http {
namespace {

using namespace std::chrono_literals;

constexpr pg::Query kInsert{"recebimento_insert", "INSERT INTO recebimento (corpo) VALUES ($1) RETURNING id"};
constexpr pg::Query kCount{"recebimento_count", "SELECT count(*) FROM recebimento"};

class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = std::make_unique<pg::Pool>(pg::PoolOptions{.conninfo = db_.url(), .max_size = 32});
    pg::Migrate(*pool_, pg::PlatformMigrations(), "plataforma");
    pg::Migrate(*pool_, {{1, "V001__r.sql", "CREATE TABLE recebimento (id bigserial PRIMARY KEY, corpo text);"}});
    router_.Post("/v1/recebimentos", Idempotent(*pool_, [this](Request& r, pg::Transaction& tx) {
                   auto id = tx.Exec(kInsert, pg::Params(r.body)).Single().Int(0);
                   std::this_thread::sleep_for(handler_delay_);
                   if (r.body == "fail") throw Conflict("estoque insuficiente");
                   auto res = Response::Json(201, boost::json::object{{"id", id}});
                   res.headers.Set("Location", "/v1/recebimentos/" + std::to_string(id));
                   return res;
                 }));
  }

  Response Post(const std::string& body, std::optional<std::string> key, std::string user = "u-1") {
    Request r;
    r.method = Method::Post;
    r.method_text = "POST";
    r.path = "/v1/recebimentos";
    r.body = body;
    r.principal.sub = std::move(user);
    if (key) r.headers.Set("Idempotency-Key", *key);
    try {
      return router_.Dispatch(r);
    } catch (const Error& e) {
      Response res;
      res.status = e.status();
      res.body = e.slug();
      return res;
    }
  }
  std::int64_t Effects() { return pool_->Exec(kCount).Single().Int(0); }

  testing::TestDatabase db_;
  std::unique_ptr<pg::Pool> pool_;
  Router router_;
  std::chrono::milliseconds handler_delay_{0};
};

// proves: R2
TEST_F(IdempotencyTest, KeyIsRequired) {
  EXPECT_EQ(Post("{}", std::nullopt).body, "idempotency-key-ausente");
  EXPECT_EQ(Post("{}", std::nullopt).status, 400);
  EXPECT_EQ(Post("{}", "").status, 400);
  EXPECT_EQ(Post("{}", std::string(256, 'k')).status, 400);
  EXPECT_EQ(Post("{}", "has space").status, 400);
  EXPECT_EQ(Effects(), 0);
}

// proves: R2
TEST_F(IdempotencyTest, ARepeatReplaysTheStoredAnswer) {
  auto first = Post(R"({"a":1})", "k-1");
  ASSERT_EQ(first.status, 201);
  EXPECT_FALSE(first.headers.Get("Idempotent-Replayed"));
  auto again = Post(R"({"a":1})", "k-1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers.GetOr("Idempotent-Replayed", ""), "true");
  EXPECT_EQ(again.headers.GetOr("Location", ""), first.headers.GetOr("Location", "-"));
  EXPECT_EQ(again.headers.GetOr("Content-Type", ""), "application/json");
  EXPECT_EQ(Effects(), 1);
}

// proves: R2
TEST_F(IdempotencyTest, SameKeyWithAnotherBodyIs422) {
  ASSERT_EQ(Post(R"({"a":1})", "k-2").status, 201);
  auto other = Post(R"({"a":2})", "k-2");
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.body, "idempotency-key-reutilizada");
  EXPECT_EQ(Effects(), 1);
}

// proves: R2
TEST_F(IdempotencyTest, KeysBelongToTheirUser) {
  ASSERT_EQ(Post(R"({"a":1})", "shared", "u-1").status, 201);
  auto other_user = Post(R"({"a":1})", "shared", "u-2");
  EXPECT_EQ(other_user.status, 201);
  EXPECT_FALSE(other_user.headers.Get("Idempotent-Replayed"));
  EXPECT_EQ(Effects(), 2);
}

// proves: R2
TEST_F(IdempotencyTest, AFailedRequestChangesAndRecordsNothing) {
  EXPECT_EQ(Post("fail", "k-f").status, 409);
  EXPECT_EQ(Effects(), 0);
  EXPECT_EQ(Post("fail", "k-f").status, 409);  // runs again: nothing was stored
}

// proves: R2
TEST_F(IdempotencyTest, FiftyConcurrentRetriesHaveExactlyOneEffect) {
  handler_delay_ = 200ms;
  std::vector<std::future<Response>> calls;
  for (int i = 0; i < 50; ++i) {
    calls.push_back(std::async(std::launch::async, [this] { return Post(R"({"lote":"L-1"})", "k-race"); }));
  }
  int created = 0, in_use = 0, replayed = 0;
  std::string created_body;
  for (auto& c : calls) {
    auto r = c.get();
    if (r.status == 201 && !r.headers.Get("Idempotent-Replayed")) {
      ++created;
      created_body = r.body;
    } else if (r.status == 201) {
      ++replayed;
    } else if (r.status == 409) {
      EXPECT_EQ(r.body, "idempotency-key-em-uso");
      ++in_use;
    } else {
      ADD_FAILURE() << "unexpected " << r.status << " " << r.body;
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(created + in_use + replayed, 50);
  EXPECT_GT(in_use, 0);  // the 200 ms handler overlapped the others
  EXPECT_EQ(Effects(), 1);
  auto after = Post(R"({"lote":"L-1"})", "k-race");
  EXPECT_EQ(after.headers.GetOr("Idempotent-Replayed", ""), "true");
  EXPECT_EQ(after.body, created_body);
}

}  // namespace
}  // namespace pharmasys::http
