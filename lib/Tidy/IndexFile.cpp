//===- IndexFile.cpp - The merged facts index, loaded once ----------------===//
#include "Tidy/IndexFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <mutex>

namespace varscope::tidy {

static llvm::Error badIndex(const std::string &Path, const std::string &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + Path + "' is not a varscope index: " + Why);
}

llvm::Expected<Index> parseIndex(const std::string &Path, const std::string &Text) {
  Index Out;
  Out.Path = Path;
  if (std::optional<std::vector<facts::TUFacts>> TUs = facts::indexFromJSON(Text)) {
    for (facts::TUFacts &TU : *TUs)
      for (facts::Function &F : TU.Functions)
        Out.Functions.push_back(std::move(F));
    return std::move(Out);
  }
  if (std::optional<facts::TUFacts> TU = facts::fromJSON(Text)) {
    Out.Functions = std::move(TU->Functions);
    return std::move(Out);
  }
  return badIndex(Path, "expected the output of 'varscope index -o FILE'");
}

namespace {

struct CacheEntry {
  llvm::sys::TimePoint<> MTime;
  uint64_t Size = 0;
  std::shared_ptr<const Index> Value;
};

std::mutex CacheMutex;
std::map<std::string, CacheEntry> Cache; // guarded by CacheMutex

} // namespace

llvm::Expected<std::shared_ptr<const Index>> loadIndex(const std::string &Path) {
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status))
    return llvm::createStringError(EC, "cannot read '" + Path + "': " + EC.message());
  {
    std::lock_guard<std::mutex> Lock(CacheMutex);
    auto It = Cache.find(Path);
    if (It != Cache.end() && It->second.MTime == Status.getLastModificationTime() &&
        It->second.Size == Status.getSize())
      return It->second.Value;
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "cannot read '" + Path + "': " + Buf.getError().message());
  llvm::Expected<Index> Parsed = parseIndex(Path, (*Buf)->getBuffer().str());
  if (!Parsed)
    return Parsed.takeError();
  auto Value = std::make_shared<const Index>(std::move(*Parsed));
  std::lock_guard<std::mutex> Lock(CacheMutex);
  Cache[Path] = {Status.getLastModificationTime(), Status.getSize(), Value};
  return Value;
}

std::string findIndexFile(const std::string &Configured, const std::string &MainFile) {
  if (Configured.empty())
    return "";
  if (llvm::sys::path::is_absolute(Configured))
    return llvm::sys::fs::exists(Configured) ? Configured : "";
  llvm::SmallString<256> Dir(MainFile);
  llvm::sys::path::remove_filename(Dir);
  while (!Dir.empty()) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, Configured);
    if (llvm::sys::fs::exists(Candidate))
      return std::string(Candidate);
    std::string Parent = llvm::sys::path::parent_path(Dir).str();
    if (Parent == Dir.str())
      break;
    Dir = Parent;
  }
  return "";
}

} // namespace varscope::tidy
