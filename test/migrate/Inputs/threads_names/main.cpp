// Threads started on function template specialisations and the strings of
// v1::name_scope guards (docs/migration.md): after migration the same
// variables with the same values, and byte-identical printed names.
// Threads are joined one at a time so that the creation order (part of the
// dump) is fixed.
#include <cstdint>
#include <cstdio>
#include <future>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <varscope/dump.h>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

template <class T> void build_tower(int id) {
  v1::variable_scope s(nullptr, "tower");
  v1::get_variable("w" + std::to_string(id), {static_cast<std::int64_t>(sizeof(T))});
  v1::name_scope ns("ops");
  std::string label = ns.name();
  std::cout << "tower " << id << " name scope '" << label << "'\n";
}

template <class T> int count(T n) {
  v1::get_variable("c" + std::to_string(n), {1});
  return static_cast<int>(n);
}

template <class T> void spawn(int id) {
  v1::variable_scope s("spawn");
  std::thread t(build_tower<T>, id);
  t.join();
  build_tower<T>(id + 100);
}

std::string block(int i) {
  v1::name_scope ns("block");
  v1::get_variable("b" + std::to_string(i), {2});
  std::printf("block %d: %s %zu\n", i, ns.name().c_str(), ns.name().size());
  v1::name_scope inner("t" + std::to_string(i));
  v1::name_scope root("");
  v1::name_scope fallback(nullptr, "dflt");
  v1::name_scope again("block/");
  v1::name_scope slash("/"); // the root, but its value is "/"
  const std::string& r = root.name();
  std::cout << "inner '" << inner.name() << "' root '" << r << "' fallback '" << fallback.name() << "' again '"
            << again.name() << "' slash '" << slash.name() << "'\n";
  std::string joined;
  joined = inner.name();
  joined += slash.name();
  std::cout << joined << " " << again.name()[0] << "\n";
  return "[" + ns.name() + "]";
}

int main(int argc, char** argv) {
  v1::reset_default_graph({.seed = 11});
  v1::variable_scope outer("outer");
  std::thread t(build_tower<float>, 0);
  t.join();
  std::thread u(&build_tower<double>, 1);
  u.join();
  std::vector<std::thread> pool;
  for (int i = 2; i < 4; ++i) {
    pool.emplace_back(build_tower<char>, i);
    pool.back().join();
  }
  auto f = std::async(std::launch::async, count<long>, 7L);
  int seven = f.get();
  spawn<short>(seven);
  build_tower<float>(8);
  std::cout << block(1) << block(2) << "\n";
  std::cout << v1::global_variables().size() << " variables\n";
  if (argc == 3 && std::string(argv[1]) == "--dump") varscope::dump_store(v1::get_default_graph(), argv[2]);
  return 0;
}
