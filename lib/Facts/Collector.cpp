//===- Collector.cpp - Compile database, facts cache and parallel parse ---===//
#include "Facts/Collector.h"

#include "Facts/Extractor.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/xxhash.h"

#include <memory>
#include <nlohmann/json.hpp>

#include <mutex>

namespace varscope::facts {
namespace {

llvm::Error error(const llvm::Twine &Msg) { return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg); }

std::string hex(uint64_t V) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << llvm::format_hex_no_prefix(V, 16);
  return S;
}

std::optional<uint64_t> hashFile(const std::string &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt;
  return llvm::xxh3_64bits((*Buf)->getBuffer());
}

std::string absolute(llvm::StringRef Dir, llvm::StringRef File) {
  llvm::SmallString<256> P(File);
  if (!llvm::sys::path::is_absolute(P)) {
    P = Dir;
    llvm::sys::path::append(P, File);
  }
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, true);
  return std::string(P);
}

/// The cache: one JSON file per (main file content, flags), holding the
/// content hash of every file the TU read, and its facts.
class Cache {
public:
  explicit Cache(std::string Dir) : Dir(std::move(Dir)) {}
  bool enabled() const { return !Dir.empty(); }

  std::string keyFor(const Command &C, uint64_t MainHash) const {
    std::string K = "varscope-facts-4\n" + C.Directory + "\n" + C.File + "\n";
    for (const std::string &A : C.Args)
      K += A + '\0';
    return hex(llvm::xxh3_64bits(K) ^ MainHash);
  }

  std::optional<TUFacts> lookup(const std::string &Key) const {
    auto Buf = llvm::MemoryBuffer::getFile(path(Key));
    if (!Buf)
      return std::nullopt;
    try {
      nlohmann::json J = nlohmann::json::parse((*Buf)->getBuffer().str());
      for (const auto &D : J.at("deps")) {
        std::optional<uint64_t> H = hashFile(D.at(0).get<std::string>());
        if (!H || hex(*H) != D.at(1).get<std::string>())
          return std::nullopt;
      }
      return fromJSON(J.at("facts").get<std::string>());
    } catch (const nlohmann::json::exception &) {
      return std::nullopt;
    }
  }

  void store(const std::string &Key, const ExtractResult &R) const {
    nlohmann::json Deps = nlohmann::json::array();
    for (const std::string &D : R.Deps) {
      std::optional<uint64_t> H = hashFile(D);
      if (!H)
        return; // a file vanished: do not cache
      Deps.push_back({D, hex(*H)});
    }
    nlohmann::json J = {{"deps", Deps}, {"facts", toJSON(R.Facts)}};
    if (llvm::sys::fs::create_directories(Dir))
      return;
    std::string Tmp = path(Key) + ".tmp" + std::to_string(llvm::get_threadid());
    {
      std::error_code EC;
      llvm::raw_fd_ostream OS(Tmp, EC);
      if (EC)
        return;
      OS << J.dump();
    }
    llvm::sys::fs::rename(Tmp, path(Key));
  }

private:
  std::string path(const std::string &Key) const { return Dir + "/" + Key + ".json"; }
  std::string Dir;
};

} // namespace

unsigned shardOf(const std::string &MainFile, const std::string &Root, unsigned Count) {
  if (Count <= 1)
    return 0;
  llvm::StringRef Rel = MainFile;
  std::string Prefix = Root.empty() || Root.back() == '/' ? Root : Root + "/";
  if (!Prefix.empty() && Rel.starts_with(Prefix))
    Rel = Rel.drop_front(Prefix.size());
  return static_cast<unsigned>(llvm::xxh3_64bits(Rel) % Count);
}

llvm::Expected<CollectResult> collectFacts(const CollectOptions &Opts, llvm::raw_ostream &Log) {
  std::string Err;
  std::unique_ptr<clang::tooling::CompilationDatabase> DB;
  std::string DBDir;
  if (Opts.FixedArgs) {
    llvm::SmallString<256> Cwd;
    llvm::sys::fs::current_path(Cwd);
    DB = std::make_unique<clang::tooling::FixedCompilationDatabase>(Cwd, *Opts.FixedArgs);
  } else if (!Opts.BuildPath.empty()) {
    llvm::StringRef P = Opts.BuildPath;
    if (llvm::sys::fs::is_regular_file(P)) {
      DB = clang::tooling::JSONCompilationDatabase::loadFromFile(P, Err,
                                                                 clang::tooling::JSONCommandLineSyntax::AutoDetect);
      DBDir = llvm::sys::path::parent_path(P).str();
    } else {
      DB = clang::tooling::CompilationDatabase::loadFromDirectory(P, Err);
      DBDir = P.str();
    }
    if (!DB)
      return error("no compilation database found in '" + Opts.BuildPath + "': " + Err);
  } else {
    if (Opts.Files.empty())
      return error("no input files and no compilation database; pass -p <build-dir> or files");
    std::string First = absolute(".", Opts.Files.front());
    if (!llvm::sys::fs::exists(First))
      return error("cannot read '" + Opts.Files.front() + "': no such file");
    for (llvm::StringRef Dir = llvm::sys::path::parent_path(First); !Dir.empty();
         Dir = llvm::sys::path::parent_path(Dir)) {
      llvm::SmallString<256> Candidate(Dir);
      llvm::sys::path::append(Candidate, "compile_commands.json");
      if (llvm::sys::fs::exists(Candidate)) {
        DB = clang::tooling::JSONCompilationDatabase::loadFromFile(Candidate, Err,
                                                                   clang::tooling::JSONCommandLineSyntax::AutoDetect);
        DBDir = Dir.str();
        break;
      }
    }
    if (!DB)
      return error("no compilation database found for '" + Opts.Files.front() +
                   "' (searched its directory and every parent for compile_commands.json); pass -p <build-dir> "
                   "or compiler flags after --");
  }

  std::vector<Command> Commands;
  std::vector<std::string> Files = Opts.Files;
  if (Files.empty())
    Files = DB->getAllFiles();
  if (Files.empty())
    return error("the compilation database lists no files");
  for (const std::string &F : Files) {
    std::string Abs = absolute(".", F);
    if (!llvm::sys::fs::exists(Abs) || llvm::sys::fs::is_directory(Abs))
      return error("cannot read '" + F + "': no such file");
    std::vector<clang::tooling::CompileCommand> Cs = DB->getCompileCommands(Abs);
    if (Cs.empty())
      return error("'" + F + "' is not in the compilation database");
    const clang::tooling::CompileCommand &C = Cs.front();
    Commands.push_back({C.Directory, Abs, C.CommandLine});
  }
  if (Opts.ShardCount > 1) {
    std::string Root = DBDir.empty() ? std::string() : absolute(".", DBDir);
    llvm::erase_if(Commands,
                   [&](const Command &C) { return shardOf(C.File, Root, Opts.ShardCount) != Opts.ShardIndex; });
  }

  std::string CacheDir = Opts.CacheDir;
  if (CacheDir.empty() && !DBDir.empty())
    CacheDir = DBDir + "/.varscope-cache";
  if (CacheDir == "none")
    CacheDir.clear();
  Cache TheCache(CacheDir);

  CollectResult Result;
  Result.TUs.resize(Commands.size());
  std::vector<std::optional<std::string>> Errors(Commands.size());
  std::mutex M;
  unsigned Done = 0;
  auto Progress = [&](const Command &C) { // with M held
    ++Done;
    if (Opts.Progress == CollectOptions::ProgressKind::None)
      return;
    if (Opts.Progress == CollectOptions::ProgressKind::Terminal)
      Log << "\r\x1b[K";
    Log << "[" << Done << "/" << Commands.size() << "] " << C.File;
    if (Opts.Progress == CollectOptions::ProgressKind::Lines)
      Log << "\n";
    Log.flush();
  };
  auto Work = [&](size_t I) {
    const Command &C = Commands[I];
    std::string Key;
    if (TheCache.enabled()) {
      if (std::optional<uint64_t> H = hashFile(C.File)) {
        Key = TheCache.keyFor(C, *H);
        if (std::optional<TUFacts> F = TheCache.lookup(Key)) {
          std::lock_guard<std::mutex> L(M);
          Result.TUs[I] = std::move(*F);
          ++Result.Cached;
          Progress(C);
          if (Opts.Verbose)
            Log << "varscope: cached facts for " << C.File << "\n";
          return;
        }
      }
    }
    llvm::Expected<ExtractResult> R = extractFacts(C);
    std::lock_guard<std::mutex> L(M);
    Progress(C);
    if (!R) {
      Errors[I] = llvm::toString(R.takeError());
      return;
    }
    if (!Key.empty())
      TheCache.store(Key, *R);
    Result.TUs[I] = std::move(R->Facts);
    ++Result.Parsed;
    if (Opts.Verbose)
      Log << "varscope: parsed " << C.File << "\n";
  };
  if (Opts.Jobs <= 1 || Commands.size() == 1) {
    for (size_t I = 0; I < Commands.size(); ++I)
      Work(I);
  } else {
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Opts.Jobs));
    for (size_t I = 0; I < Commands.size(); ++I)
      Pool.async([&, I] { Work(I); });
    Pool.wait();
  }
  if (Opts.Progress == CollectOptions::ProgressKind::Terminal && Done) {
    Log << "\r\x1b[K";
    Log.flush();
  }
  for (const std::optional<std::string> &E : Errors)
    if (E)
      return error(*E);
  return Result;
}

} // namespace varscope::facts
