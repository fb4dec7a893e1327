//===- Output.cpp - Text and JSON renderings ------------------------------===//
#include "Driver/Output.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>

namespace varscope::driver {
namespace {

class Sources {
public:
  const std::string *content(const std::string &File) {
    auto It = Files.find(File);
    if (It == Files.end()) {
      std::ifstream In(File, std::ios::binary);
      std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
      It = Files.emplace(File, std::move(Text)).first;
    }
    return &It->second;
  }
  std::string line(const std::string &File, unsigned Line) {
    const std::string *C = content(File);
    size_t Pos = 0;
    for (unsigned L = 1; L < Line; ++L) {
      Pos = C->find('\n', Pos);
      if (Pos == std::string::npos)
        return "";
      ++Pos;
    }
    size_t End = C->find('\n', Pos);
    return C->substr(Pos, End == std::string::npos ? std::string::npos : End - Pos);
  }
  /// 1-based line/column of a byte offset.
  std::pair<unsigned, unsigned> position(const std::string &File, unsigned Offset) {
    const std::string *C = content(File);
    unsigned Line = 1, Col = 1;
    for (unsigned I = 0; I < Offset && I < C->size(); ++I) {
      if ((*C)[I] == '\n') {
        ++Line;
        Col = 1;
      } else {
        ++Col;
      }
    }
    return {Line, Col};
  }

private:
  std::map<std::string, std::string> Files;
};

void printSnippet(Sources &Src, const facts::Loc &L, llvm::raw_ostream &OS,
                  const std::vector<facts::Replacement> &Fixes = {}) {
  if (!L.valid())
    return;
  std::string Text = Src.line(L.File, L.Line);
  if (Text.empty() && L.Col > 1)
    return;
  OS << Text << "\n";
  std::string Caret;
  for (unsigned I = 1; I < L.Col && I <= Text.size(); ++I)
    Caret += Text[I - 1] == '\t' ? '\t' : ' ';
  Caret += '^';
  if (L.EndLine == L.Line && L.EndCol > L.Col + 1)
    Caret += std::string(L.EndCol - L.Col - 1, '~');
  OS << Caret << "\n";
  for (const facts::Replacement &R : Fixes) {
    if (R.Text.empty() || R.File != L.File)
      continue;
    auto [Line, Col] = Src.position(R.File, R.Offset);
    if (Line != L.Line)
      continue;
    OS << std::string(Col > 1 ? Col - 1 : 0, ' ') << R.Text << "\n";
  }
}

std::string loc(const facts::Loc &L) { return L.File + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Col); }

nlohmann::json locJSON(const facts::Loc &L) { return {{"file", L.File}, {"line", L.Line}, {"column", L.Col}}; }

std::string dims(const analysis::Dims &D) {
  std::string S = "(";
  for (size_t I = 0; I < D.size(); ++I)
    S += (I ? ", " : "") + (D[I] < 0 ? std::string("?") : std::to_string(D[I]));
  if (D.size() == 1)
    S += ",";
  return S + ")";
}

/// The shapes of the shards of a fixed partitioning (TF §6: the first L % n
/// slices get one more element).
std::vector<analysis::Dims> shardShapes(const analysis::Variable &V) {
  std::vector<analysis::Dims> Out;
  if (!V.Shape || V.Partitions <= 0)
    return Out;
  std::int64_t L = (*V.Shape)[V.PartitionAxis];
  std::int64_t N = V.Partitions, Base = L / N, Extra = L % N;
  for (std::int64_t I = 0; I < N; ++I) {
    analysis::Dims D = *V.Shape;
    D[V.PartitionAxis] = Base + (I < Extra ? 1 : 0);
    Out.push_back(D);
  }
  return Out;
}

} // namespace

void printFindingsText(const std::vector<rules::Finding> &Findings, llvm::raw_ostream &OS) {
  Sources Src;
  for (const rules::Finding &F : Findings) {
    OS << loc(F.L) << ": warning: " << F.Message << " [" << F.Id << "]\n";
    printSnippet(Src, F.L, OS, F.Fixes);
    for (const rules::Note &N : F.Notes) {
      OS << loc(N.L) << ": note: " << N.Message << "\n";
      printSnippet(Src, N.L, OS);
    }
  }
}

void printFindingsJSON(const std::vector<rules::Finding> &Findings, llvm::raw_ostream &OS) {
  nlohmann::json A = nlohmann::json::array();
  for (const rules::Finding &F : Findings) {
    nlohmann::json J = locJSON(F.L);
    J["id"] = F.Id;
    J["message"] = F.Message;
    J["notes"] = nlohmann::json::array();
    for (const rules::Note &N : F.Notes) {
      nlohmann::json NJ = locJSON(N.L);
      NJ["message"] = N.Message;
      J["notes"].push_back(NJ);
    }
    J["fixes"] = nlohmann::json::array();
    for (const facts::Replacement &R : F.Fixes)
      J["fixes"].push_back({{"file", R.File}, {"offset", R.Offset}, {"length", R.Length}, {"replacement", R.Text}});
    A.push_back(std::move(J));
  }
  nlohmann::json Doc = {{"findings", A}, {"count", Findings.size()}};
  OS << Doc.dump(2) << "\n";
}

std::vector<const analysis::Variable *> uniqueVariables(const analysis::Result &R) {
  std::vector<const analysis::Variable *> Out;
  std::set<std::pair<std::string, facts::Loc>> Seen;
  for (const analysis::Variable &V : R.Variables)
    if (Seen.insert({V.Name, V.Created}).second)
      Out.push_back(&V);
  return Out;
}

void printNamesText(const analysis::Result &R, llvm::raw_ostream &OS) {
  std::vector<const analysis::Variable *> Vars = uniqueVariables(R);
  size_t Width = 0;
  for (const analysis::Variable *V : Vars)
    Width = std::max(Width, V->Name.size());
  unsigned Unresolved = 0, ReuseSites = 0, Shards = 0;
  for (const analysis::Variable *V : Vars) {
    std::string Shape = analysis::shapeString(V->Shape);
    OS << V->Name;
    OS.indent(Width + 2 - V->Name.size());
    OS << Shape;
    OS.indent(Shape.size() < 12 ? 12 - Shape.size() : 1);
    OS << V->DType;
    OS.indent(V->DType.size() < 9 ? 9 - V->DType.size() : 1);
    OS << loc(V->Created);
    if (V->Local)
      OS << " local";
    if (!V->Resolved)
      OS << " unresolved";
    OS << "\n";
    if (!V->Resolved)
      ++Unresolved;
    std::vector<analysis::Dims> Parts = shardShapes(*V);
    for (size_t I = 0; I < Parts.size(); ++I)
      OS << "  " << V->Name << "/part_" << I << "  " << dims(Parts[I]) << "\n";
    Shards += Parts.size();
    for (const facts::Loc &L : V->ReuseSites) {
      OS << "  reused at " << loc(L) << "\n";
      ++ReuseSites;
    }
  }
  OS << "total: " << Vars.size() << (Vars.size() == 1 ? " variable" : " variables");
  if (Shards)
    OS << ", " << Shards << " partition shards";
  OS << ", " << ReuseSites << " reuse " << (ReuseSites == 1 ? "site" : "sites") << ", " << Unresolved
     << " unresolved\n";
}

void printNamesJSON(const analysis::Result &R, llvm::raw_ostream &OS) {
  nlohmann::json A = nlohmann::json::array();
  unsigned Unresolved = 0;
  for (const analysis::Variable *V : uniqueVariables(R)) {
    nlohmann::json J = {{"name", V->Name},
                        {"resolved", V->Resolved},
                        {"shape", V->Shape ? nlohmann::json(*V->Shape) : nlohmann::json(nullptr)},
                        {"dtype", V->DType},
                        {"local", V->Local},
                        {"created", locJSON(V->Created)}};
    if (!V->Initializer.empty())
      J["initializer"] = V->Initializer;
    if (V->Partitions) {
      nlohmann::json P = nlohmann::json::array();
      std::vector<analysis::Dims> Parts = shardShapes(*V);
      for (size_t I = 0; I < Parts.size(); ++I)
        P.push_back({{"name", V->Name + "/part_" + std::to_string(I)}, {"shape", Parts[I]}});
      J["partitions"] = P;
    }
    J["reuse_sites"] = nlohmann::json::array();
    for (const facts::Loc &L : V->ReuseSites)
      J["reuse_sites"].push_back(locJSON(L));
    if (!V->Resolved)
      ++Unresolved;
    A.push_back(std::move(J));
  }
  nlohmann::json Doc = {{"variables", A}, {"total", A.size()}, {"unresolved", Unresolved}, {"entries", R.Entries}};
  OS << Doc.dump(2) << "\n";
}

} // namespace varscope::driver
