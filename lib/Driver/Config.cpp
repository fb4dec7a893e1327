//===- Config.cpp - The project configuration file ------------------------===//
#include "Driver/Config.h"

#include <cstdlib>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/YAMLTraits.h"

namespace {
struct RawConfig {
  std::optional<std::string> Checks;
  std::vector<std::string> Entries;
  std::optional<unsigned> MaxUnroll;
  std::optional<std::string> Baseline;
  std::vector<std::string> PublicAPI;
  std::optional<std::string> Index;
};
} // namespace

namespace llvm::yaml {
template <> struct MappingTraits<RawConfig> {
  static void mapping(IO &IO, RawConfig &C) {
    IO.mapOptional("checks", C.Checks);
    IO.mapOptional("entry_points", C.Entries);
    IO.mapOptional("max_unroll", C.MaxUnroll);
    IO.mapOptional("baseline", C.Baseline);
    IO.mapOptional("public_api", C.PublicAPI);
    IO.mapOptional("index", C.Index);
  }
};
} // namespace llvm::yaml

namespace varscope::driver {
namespace {

std::string absolute(llvm::StringRef Base, llvm::StringRef P) {
  llvm::SmallString<256> Out(P);
  if (!llvm::sys::path::is_absolute(Out)) {
    Out = Base;
    llvm::sys::path::append(Out, P);
  }
  llvm::sys::fs::make_absolute(Out);
  llvm::sys::path::remove_dots(Out, true);
  return std::string(Out);
}

llvm::Expected<Config> read(const std::string &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot read config file '" + Path + "'");
  RawConfig Raw;
  std::string Diag;
  llvm::yaml::Input In(
      (*Buf)->getBuffer(), nullptr,
      [](const llvm::SMDiagnostic &D, void *Ctx) { *static_cast<std::string *>(Ctx) = D.getMessage().str(); }, &Diag);
  In >> Raw;
  if (In.error())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "invalid config file '" + Path + "': " + (Diag.empty() ? "syntax error" : Diag));
  Config C;
  C.Path = absolute(".", Path);
  C.Dir = llvm::sys::path::parent_path(C.Path).str();
  C.Checks = Raw.Checks;
  C.Entries = Raw.Entries;
  C.MaxUnroll = Raw.MaxUnroll;
  C.PublicAPI = Raw.PublicAPI;
  if (Raw.Index)
    C.Index = absolute(C.Dir, *Raw.Index);
  if (Raw.Baseline)
    C.Baseline = absolute(C.Dir, *Raw.Baseline);
  return C;
}

} // namespace

std::string configPath(const std::string &Option, bool Given) {
  if (Given)
    return Option;
  if (const char *Env = std::getenv("VARSCOPE_CONFIG"))
    return Env;
  return Option;
}

llvm::Expected<std::optional<Config>> loadConfig(const std::string &Explicit, const std::string &StartDir) {
  if (Explicit == "none")
    return std::nullopt;
  if (!Explicit.empty()) {
    llvm::Expected<Config> C = read(Explicit);
    if (!C)
      return C.takeError();
    return std::optional<Config>(std::move(*C));
  }
  std::string Dir = absolute(".", StartDir);
  for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    for (const char *Name : {".varscope.yaml", ".varscope.yml", ".varscope.json"}) {
      llvm::SmallString<256> P(D);
      llvm::sys::path::append(P, Name);
      if (!llvm::sys::fs::is_regular_file(P))
        continue;
      llvm::Expected<Config> C = read(std::string(P));
      if (!C)
        return C.takeError();
      return std::optional<Config>(std::move(*C));
    }
  }
  return std::nullopt;
}

} // namespace varscope::driver
