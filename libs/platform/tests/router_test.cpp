#include "pharmasys/http/router.hpp"

#include <gtest/gtest.h>

#include "pharmasys/error.hpp"

namespace pharmasys::http {
namespace {

Request Make(Method method, std::string path) {
  Request r;
  r.method = method;
  r.method_text = std::string(ToString(method));
  r.path = std::move(path);
  return r;
}

Response Echo(Request& r) {
  return Response::Text(200, r.route);
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.Get("/v1/ordens-producao", Echo);
  router.Get("/v1/ordens-producao/{id}", Echo);
  router.Post("/v1/ordens-producao/{id}/etapas/{ordem}/registros", [](Request& r) {
    return Response::Text(201, std::string(r.PathParam("id")) + "|" + std::string(r.PathParam("ordem")));
  });
  auto list = Make(Method::Get, "/v1/ordens-producao");
  EXPECT_EQ(router.Dispatch(list).body, "/v1/ordens-producao");
  auto one = Make(Method::Get, "/v1/ordens-producao/abc");
  EXPECT_EQ(router.Dispatch(one).body, "/v1/ordens-producao/{id}");
  EXPECT_EQ(one.PathParam("id"), "abc");
  auto reg = Make(Method::Post, "/v1/ordens-producao/x%2Fy/etapas/2/registros");
  auto res = router.Dispatch(reg);
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.body, "x/y|2");  // parameters arrive decoded, slashes inside one do not split it
}

TEST(Router, UnknownPathIs404) {
  Router router;
  router.Get("/v1/a", Echo);
  for (const char* path : {"/v1/b", "/v1/a/", "/v1", "/", "", "/v1/a/x"}) {
    auto r = Make(Method::Get, path);
    try {
      router.Dispatch(r);
      FAIL() << path;
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), 404) << path;
      EXPECT_EQ(e.slug(), "nao-encontrado");
    }
  }
}

TEST(Router, WrongMethodIs405WithAllow) {
  Router router;
  router.Get("/v1/itens/{id}", Echo);
  router.Patch("/v1/itens/{id}", Echo);
  auto r = Make(Method::Delete, "/v1/itens/1");
  try {
    router.Dispatch(r);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 405);
    ASSERT_EQ(e.headers().size(), 1u);
    EXPECT_EQ(e.headers()[0].first, "Allow");
    EXPECT_EQ(e.headers()[0].second, "GET, PATCH");
  }
}

TEST(Router, HeadIsServedByGet) {
  Router router;
  router.Get("/x", Echo);
  auto r = Make(Method::Head, "/x");
  EXPECT_EQ(router.Dispatch(r).status, 200);
}

TEST(Router, EmptyParameterDoesNotMatch) {
  Router router;
  router.Get("/v1/itens/{id}/detalhe", Echo);
  auto r = Make(Method::Get, "/v1/itens//detalhe");
  EXPECT_THROW(router.Dispatch(r), NotFound);
}

TEST(Router, DuplicateRouteIsAProgrammingError) {
  Router router;
  router.Get("/x/{a}", Echo);
  EXPECT_THROW(router.Get("/x/{a}", Echo), std::invalid_argument);
  EXPECT_THROW(router.Get("relative", Echo), std::invalid_argument);
}

TEST(Router, MiddlewareRunsOutermostFirstAndCanShortCircuit) {
  Router router;
  std::string trail;
  router.Use([&](Request& r, const Next& next) {
    trail += "a";
    auto res = next(r);
    trail += "A";
    return res;
  });
  router.Use([&](Request& r, const Next& next) {
    trail += "b";
    if (r.headers.Get("X-Stop")) throw Forbidden("stop");
    return next(r);
  });
  router.Get("/x", [&](Request&) {
    trail += "h";
    return Response::Empty(204);
  });
  auto r = Make(Method::Get, "/x");
  EXPECT_EQ(router.Dispatch(r).status, 204);
  EXPECT_EQ(trail, "abhA");
  trail.clear();
  auto stopped = Make(Method::Get, "/x");
  stopped.headers.Set("X-Stop", "1");
  EXPECT_THROW(router.Dispatch(stopped), Forbidden);
  EXPECT_EQ(trail, "ab");
}

TEST(Request, QueryParametersAreDecoded) {
  Request r;
  r.query = "status=em_execucao&produto=PA%20001&x&cliente=Jo%C3%A3o+Silva";
  EXPECT_EQ(r.Query("status"), "em_execucao");
  EXPECT_EQ(r.Query("produto"), "PA 001");
  EXPECT_EQ(r.Query("cliente"), "João Silva");
  EXPECT_EQ(r.Query("x"), "");
  EXPECT_FALSE(r.Query("nada"));
}

TEST(Headers, AreCaseInsensitive) {
  Headers h;
  h.Add("Content-Type", "a");
  EXPECT_EQ(h.Get("content-type"), "a");
  h.Set("CONTENT-TYPE", "b");
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(h.GetOr("Content-Type", ""), "b");
}

}  // namespace
}  // namespace pharmasys::http
