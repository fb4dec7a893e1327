//===- Baseline.cpp - Accepted findings -----------------------------------===//
#include "Driver/Baseline.h"

#include "Driver/Output.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace varscope::driver {

llvm::Error writeBaseline(const std::vector<rules::Finding> &Findings, const std::string &Root,
                          const std::string &Path) {
  std::map<std::string, nlohmann::json> Entries; // by fingerprint: sorted, unique
  for (const rules::Finding &F : Findings)
    Entries.emplace(fingerprint(F, Root), nlohmann::json{{"id", F.Id},
                                                         {"file", relativePath(F.L.File, Root)},
                                                         {"subject", F.Subject},
                                                         {"message", F.Message},
                                                         {"fingerprint", fingerprint(F, Root)}});
  nlohmann::json List = nlohmann::json::array();
  for (auto &[FP, E] : Entries)
    List.push_back(std::move(E));
  nlohmann::json Doc = {{"format", "varscope-baseline-1"}, {"findings", List}};
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return llvm::createStringError(EC, "cannot write baseline '" + Path + "': " + EC.message());
  OS << Doc.dump(2) << "\n";
  return llvm::Error::success();
}

llvm::Expected<std::set<std::string>> readBaseline(const std::string &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot read baseline '" + Path + "'");
  std::set<std::string> Out;
  try {
    nlohmann::json J = nlohmann::json::parse((*Buf)->getBuffer().str());
    if (J.value("format", "") != "varscope-baseline-1")
      throw nlohmann::json::other_error::create(501, "not a varscope baseline", nullptr);
    for (const nlohmann::json &E : J.at("findings"))
      Out.insert(E.at("fingerprint").get<std::string>());
  } catch (const nlohmann::json::exception &) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + Path + "' is not a varscope baseline (write one with --write-baseline)");
  }
  return Out;
}

unsigned applyBaseline(std::vector<rules::Finding> &Findings, const std::set<std::string> &Accepted,
                       const std::string &Root) {
  size_t Before = Findings.size();
  Findings.erase(std::remove_if(Findings.begin(), Findings.end(),
                                [&](const rules::Finding &F) { return Accepted.count(fingerprint(F, Root)) > 0; }),
                 Findings.end());
  return static_cast<unsigned>(Before - Findings.size());
}

} // namespace varscope::driver
