// RUN: %varscope names %s -- %cxxflags | FileCheck %s --match-full-lines
// A lambda runs with what it captured where it was created, wherever it is
// called: a template helper, a std::function parameter, a function that has
// a local with the same id. Every name here was checked against the runtime
// (v1 API) with --dump.
#include <functional>
#include <string>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

template <class F> void twice(F f) {
  f();
  f();
}

void run(const std::function<void()> &fn) { fn(); }

// A captured string builds the scope name inside the template helper.
void templateHelper() {
  std::string name = "enc";
  twice([&] {
    v1::variable_scope s(name, {.reuse = v1::AUTO_REUSE});
    v1::get_variable("w", {2});
  });
}

// By value, through a std::function local and a std::function parameter.
void viaStdFunction() {
  std::string prefix = "dec";
  std::function<void()> fn = [prefix] { v1::get_variable(prefix + "_b", {3}); };
  run(fn);
}

// A loop variable captured by value, called in another function.
void loopCapture() {
  for (int i = 0; i < 3; ++i)
    run([i] { v1::get_variable("layer_" + std::to_string(i), {4}); });
}

// The caller has a local `name` too, and its own instantiation of the same
// declaration (same id): the lambda still sees the creator's.
template <int N> void step(const std::function<void()> &next) {
  std::string name = "step" + std::to_string(N);
  v1::variable_scope s(name);
  next();
  if constexpr (N < 2)
    step<N + 1>([name] { v1::get_variable(name + "_w", {1}); });
}

// A captured VariableScope re-entered from a helper.
void reenter() {
  v1::VariableScope saved = v1::get_variable_scope();
  {
    v1::variable_scope outer("outer");
    saved = *outer;
  }
  twice([saved] {
    v1::variable_scope re(saved, {.reuse = v1::AUTO_REUSE});
    v1::get_variable("k", {2});
  });
}

// By reference the lambda sees the later assignment; by value it does not.
void captureKinds() {
  v1::VariableScope target = v1::get_variable_scope();
  std::function<void()> byRef = [&] {
    v1::variable_scope re(target);
    v1::get_variable("late", {1});
  };
  std::function<void()> byValue = [target] {
    v1::variable_scope re(target);
    v1::get_variable("early", {1});
  };
  {
    v1::variable_scope t("target");
    target = *t;
  }
  run(byRef);
  run(byValue);
}

// `this` captured: a member builds the name.
struct Block {
  std::string name_;
  explicit Block(std::string name) : name_(name) {}
  void build() {
    run([this] { v1::get_variable(name_ + "_bias", {1}); });
  }
};

// Called where it is created, as before.
void inPlace() {
  std::string tag = "here";
  [&] { v1::get_variable(tag, {5}); }();
  auto local = [tag] { v1::get_variable(tag + "_too", {5}); };
  local();
}

int main() {
  templateHelper();
  viaStdFunction();
  loopCapture();
  step<0>([] {});
  reenter();
  captureKinds();
  Block b("blk");
  b.build();
  inPlace();
}

// Each name below equals what the runtime creates for this program.
// CHECK:      enc/w                      (2,)        float32  {{.*}}lambda-closures.cpp:24:5
// CHECK-NEXT:   reused at {{.*}}lambda-closures.cpp:24:5
// CHECK-NEXT: dec_b                      (3,)        float32  {{.*}}lambda-closures.cpp:31:41
// CHECK-NEXT: layer_0                    (4,)        float32  {{.*}}lambda-closures.cpp:38:15
// CHECK-NEXT: layer_1                    (4,)        float32  {{.*}}lambda-closures.cpp:38:15
// CHECK-NEXT: layer_2                    (4,)        float32  {{.*}}lambda-closures.cpp:38:15
// CHECK-NEXT: step0/step1/step0_w        (1,)        float32  {{.*}}lambda-closures.cpp:48:26
// CHECK-NEXT: step0/step1/step2/step1_w  (1,)        float32  {{.*}}lambda-closures.cpp:48:26
// CHECK-NEXT: outer/k                    (2,)        float32  {{.*}}lambda-closures.cpp:60:5
// CHECK-NEXT:   reused at {{.*}}lambda-closures.cpp:60:5
// CHECK-NEXT: target/late                (1,)        float32  {{.*}}lambda-closures.cpp:69:5
// CHECK-NEXT: early                      (1,)        float32  {{.*}}lambda-closures.cpp:73:5
// CHECK-NEXT: blk_bias                   (1,)        float32  {{.*}}lambda-closures.cpp:88:18
// CHECK-NEXT: here                       (5,)        float32  {{.*}}lambda-closures.cpp:95:9
// CHECK-NEXT: here_too                   (5,)        float32  {{.*}}lambda-closures.cpp:96:24
// CHECK-NEXT: total: 13 variables, 2 reuse sites, 0 unresolved
// CHECK-EMPTY:
