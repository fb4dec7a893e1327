//===- Sarif.cpp - SARIF 2.1.0 and clang-apply-replacements YAML ----------===//
#include "Driver/Output.h"

#include "Rules/Rules.h"

#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

#ifndef VARSCOPE_VERSION
#define VARSCOPE_VERSION "0.0.0"
#endif
#ifndef VARSCOPE_INFORMATION_URI
#define VARSCOPE_INFORMATION_URI "https://github.com/varscope/varscope"
#endif

namespace varscope::driver {
namespace {

/// RFC 3986 percent-encoding of a path (keeps '/').
std::string uriPath(const std::string &Path) {
  static const char *Hex = "0123456789ABCDEF";
  std::string Out;
  for (unsigned char C : Path) {
    if (isalnum(C) || C == '/' || C == '-' || C == '_' || C == '.' || C == '~') {
      Out += static_cast<char>(C);
      continue;
    }
    Out += '%';
    Out += Hex[C >> 4];
    Out += Hex[C & 15];
  }
  return Out;
}

nlohmann::json physicalLocation(const facts::Loc &L, const std::string &Root) {
  std::string Rel = relativePath(L.File, Root);
  nlohmann::json Artifact;
  if (Rel != L.File || L.File.empty() || L.File[0] != '/')
    Artifact = {{"uri", uriPath(Rel)}, {"uriBaseId", "SRCROOT"}};
  else
    Artifact = {{"uri", "file://" + uriPath(L.File)}};
  unsigned EndLine = L.EndLine ? L.EndLine : L.Line;
  unsigned EndCol = L.EndLine ? L.EndCol : L.Col + 1;
  return {{"artifactLocation", Artifact},
          {"region", {{"startLine", L.Line}, {"startColumn", L.Col}, {"endLine", EndLine}, {"endColumn", EndCol}}}};
}

std::string helpUri(const std::string &Id) {
  return std::string(VARSCOPE_INFORMATION_URI) + "/blob/main/docs/diagnostics/" + Id + ".md";
}

/// Byte offset of a 1-based line/column in File (0 if unreadable).
class Offsets {
public:
  unsigned offset(const facts::Loc &L) {
    auto It = Starts.find(L.File);
    if (It == Starts.end()) {
      std::vector<unsigned> S = {0};
      std::ifstream In(L.File, std::ios::binary);
      std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
      for (unsigned I = 0; I < Text.size(); ++I)
        if (Text[I] == '\n')
          S.push_back(I + 1);
      It = Starts.emplace(L.File, std::move(S)).first;
    }
    if (L.Line == 0 || L.Line > It->second.size())
      return 0;
    return It->second[L.Line - 1] + (L.Col ? L.Col - 1 : 0);
  }

private:
  std::map<std::string, std::vector<unsigned>> Starts;
};

/// A YAML double-quoted scalar.
std::string yamlQuote(const std::string &S) {
  std::string Out = "\"";
  for (unsigned char C : S) {
    switch (C) {
    case '"':
      Out += "\\\"";
      break;
    case '\\':
      Out += "\\\\";
      break;
    case '\n':
      Out += "\\n";
      break;
    case '\t':
      Out += "\\t";
      break;
    case '\r':
      Out += "\\r";
      break;
    default:
      if (C < 0x20) {
        char Buf[8];
        snprintf(Buf, sizeof Buf, "\\x%02X", C);
        Out += Buf;
      } else {
        Out += static_cast<char>(C);
      }
    }
  }
  return Out + "\"";
}

} // namespace

std::string relativePath(const std::string &File, const std::string &Root) {
  if (Root.empty())
    return File;
  std::string Prefix = Root.back() == '/' ? Root : Root + "/";
  if (File.compare(0, Prefix.size(), Prefix) == 0)
    return File.substr(Prefix.size());
  return File;
}

std::string fingerprint(const rules::Finding &F, const std::string &Root) {
  std::string Key = F.Id + '\0' + (F.Subject.empty() ? F.Message : F.Subject) + '\0' + relativePath(F.L.File, Root);
  char Buf[17];
  snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(llvm::xxh3_64bits(Key)));
  return Buf;
}

void printFindingsSARIF(const std::vector<rules::Finding> &Findings, const std::string &SourceRoot,
                        llvm::raw_ostream &OS) {
  nlohmann::json Rules = nlohmann::json::array();
  std::map<std::string, int> RuleIndex;
  for (const rules::RuleInfo &R : rules::allRules()) {
    RuleIndex[R.Id] = static_cast<int>(Rules.size());
    std::string Full = *R.Description ? R.Description : R.Summary;
    Rules.push_back({{"id", R.Id},
                     {"name", R.Id},
                     {"shortDescription", {{"text", R.Summary}}},
                     {"fullDescription", {{"text", Full}}},
                     {"help",
                      {{"text", Full + " See " + helpUri(R.Id)},
                       {"markdown", Full + "\n\n[Documentation](" + helpUri(R.Id) + ")"}}},
                     {"helpUri", helpUri(R.Id)},
                     {"defaultConfiguration", {{"level", R.Level}}},
                     {"properties", {{"tags", {"varscope", "tensorflow"}}}}});
  }
  nlohmann::json Results = nlohmann::json::array();
  for (const rules::Finding &F : Findings) {
    const rules::RuleInfo *R = rules::findRule(F.Id);
    nlohmann::json Res = {{"ruleId", F.Id},
                          {"level", R ? R->Level : "warning"},
                          {"message", {{"text", F.Message}}},
                          {"locations", {{{"physicalLocation", physicalLocation(F.L, SourceRoot)}}}},
                          {"partialFingerprints", {{"varscopeFindingHash/v1", fingerprint(F, SourceRoot)}}}};
    if (R)
      Res["ruleIndex"] = RuleIndex[F.Id];
    if (!F.Notes.empty()) {
      nlohmann::json Related = nlohmann::json::array();
      int Id = 0;
      for (const rules::Note &N : F.Notes)
        Related.push_back({{"id", Id++},
                           {"message", {{"text", N.Message}}},
                           {"physicalLocation", physicalLocation(N.L, SourceRoot)}});
      Res["relatedLocations"] = std::move(Related);
    }
    if (!F.Fixes.empty()) {
      // SARIF fixes: GitHub ignores them, other viewers offer them.
      std::map<std::string, nlohmann::json> ByFile;
      for (const facts::Replacement &Rp : F.Fixes)
        ByFile[Rp.File].push_back({{"deletedRegion", {{"byteOffset", Rp.Offset}, {"byteLength", Rp.Length}}},
                                   {"insertedContent", {{"text", Rp.Text}}}});
      nlohmann::json Changes = nlohmann::json::array();
      for (auto &[File, Repl] : ByFile) {
        facts::Loc L;
        L.File = File;
        Changes.push_back(
            {{"artifactLocation", physicalLocation(L, SourceRoot)["artifactLocation"]}, {"replacements", Repl}});
      }
      Res["fixes"] = {{{"description", {{"text", "apply the suggested edit"}}}, {"artifactChanges", Changes}}};
    }
    Results.push_back(std::move(Res));
  }
  std::string RootUri = SourceRoot.empty() ? "" : "file://" + uriPath(SourceRoot);
  if (!RootUri.empty() && RootUri.back() != '/')
    RootUri += '/';
  nlohmann::json Run = {{"tool",
                         {{"driver",
                           {{"name", "varscope"},
                            {"version", VARSCOPE_VERSION},
                            {"semanticVersion", VARSCOPE_VERSION},
                            {"informationUri", VARSCOPE_INFORMATION_URI},
                            {"rules", Rules}}}}},
                        {"columnKind", "utf16CodeUnits"},
                        {"results", Results}};
  if (!RootUri.empty())
    Run["originalUriBaseIds"] = {{"SRCROOT", {{"uri", RootUri}}}};
  nlohmann::json Doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", {Run}}};
  OS << Doc.dump(2) << "\n";
}

void printFixesYAML(const std::vector<rules::Finding> &Findings, llvm::raw_ostream &OS) {
  Offsets Off;
  OS << "---\nMainSourceFile:  \"\"\nDiagnostics:\n";
  if (Findings.empty())
    OS << "  []\n";
  for (const rules::Finding &F : Findings) {
    OS << "  - DiagnosticName:  " << yamlQuote(F.Id) << "\n";
    OS << "    DiagnosticMessage:\n";
    OS << "      Message:         " << yamlQuote(F.Message) << "\n";
    OS << "      FilePath:        " << yamlQuote(F.L.File) << "\n";
    OS << "      FileOffset:      " << Off.offset(F.L) << "\n";
    OS << "      Replacements:";
    if (F.Fixes.empty())
      OS << "    []";
    OS << "\n";
    for (const facts::Replacement &R : F.Fixes) {
      OS << "        - FilePath:        " << yamlQuote(R.File) << "\n";
      OS << "          Offset:          " << R.Offset << "\n";
      OS << "          Length:          " << R.Length << "\n";
      OS << "          ReplacementText: " << yamlQuote(R.Text) << "\n";
    }
    OS << "    Level:           Warning\n";
    OS << "    BuildDirectory:  \"\"\n";
  }
  OS << "...\n";
}

} // namespace varscope::driver
