//===- Plan.cpp - The reduce step of `varscope migrate` -------------------===//
#include "Rewrite/Plan.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <deque>
#include <set>
#include <tuple>

namespace varscope::rewrite {
namespace {

llvm::Error error(const std::string &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Msg.c_str());
}

struct UnionFind {
  std::map<std::string, std::string> Parent;
  std::string find(const std::string &X) {
    auto It = Parent.find(X);
    if (It == Parent.end()) {
      Parent[X] = X;
      return X;
    }
    if (It->second == X)
      return X;
    std::string Root = find(It->second);
    Parent[X] = Root;
    return Root;
  }
  void unite(const std::string &A, const std::string &B) { Parent[find(A)] = find(B); }
};

/// Replaces the "\x01K:<usr>\x02" placeholders.
std::string resolve(const std::string &Text, const std::map<std::string, FunctionInfo> &Fns) {
  std::string Out;
  size_t I = 0;
  while (I < Text.size()) {
    if (Text[I] != '\x01') {
      Out += Text[I++];
      continue;
    }
    size_t End = Text.find('\x02', I);
    char Kind = Text[I + 1];
    std::string USR = Text.substr(I + 3, End - I - 3);
    auto It = Fns.find(USR);
    std::string Param = It != Fns.end() && !It->second.ParamName.empty() ? It->second.ParamName : "scope";
    std::string Store = It != Fns.end() && !It->second.StoreName.empty() ? It->second.StoreName : "store";
    Out += Kind == 'S' ? Store : Param;
    I = End + 1;
  }
  return Out;
}

} // namespace

llvm::Expected<MigrationPlan> planMigration(const std::vector<TUResult> &TUs) {
  MigrationPlan Plan;

  // 1. Merge the functions of every TU.
  std::map<std::string, FunctionInfo> Fns;
  for (const TUResult &TU : TUs) {
    if (TU.Failed) {
      Plan.FailedTUs.push_back(TU.MainFile);
      continue;
    }
    for (const auto &[File, Hash] : TU.Files)
      Plan.Hashes[File] = Hash;
    for (const auto &[USR, F] : TU.Functions) {
      auto [It, New] = Fns.try_emplace(USR, F);
      if (New)
        continue;
      FunctionInfo &M = It->second;
      M.Direct |= F.Direct;
      M.Entry |= F.Entry;
      M.External &= F.External;
      if (F.AddressTaken && !M.AddressTaken) {
        M.AddressTaken = true;
        M.AddressTakenWhere = F.AddressTakenWhere;
      }
      M.Callees.insert(F.Callees.begin(), F.Callees.end());
      M.Overrides.insert(F.Overrides.begin(), F.Overrides.end());
      if (F.Defined && !M.Defined) {
        M.Defined = true;
        M.ParamName = F.ParamName;
        M.StoreName = F.StoreName;
        M.File = F.File;
        M.Line = F.Line;
      }
    }
  }

  // 2. Override sets share one signature.
  UnionFind Groups;
  for (const auto &[USR, F] : Fns) {
    Groups.find(USR);
    for (const std::string &O : F.Overrides)
      Groups.unite(USR, O);
  }
  std::map<std::string, std::vector<std::string>> Members;
  for (const auto &[USR, F] : Fns)
    Members[Groups.find(USR)].push_back(USR);

  // 3. Which groups need a scope: direct users and, transitively, callers.
  std::map<std::string, std::set<std::string>> Callers; // group -> caller groups
  for (const auto &[USR, F] : Fns)
    for (const std::string &C : F.Callees)
      if (Fns.count(C))
        Callers[Groups.find(C)].insert(Groups.find(USR));
  std::set<std::string> Need;
  std::deque<std::string> Work;
  for (const auto &[USR, F] : Fns)
    if (F.Direct && Need.insert(Groups.find(USR)).second)
      Work.push_back(Groups.find(USR));
  while (!Work.empty()) {
    std::string G = Work.front();
    Work.pop_front();
    for (const std::string &C : Callers[G])
      if (Need.insert(C).second)
        Work.push_back(C);
  }

  // 4. Groups that cannot be migrated, and everything connected to them.
  std::map<std::string, std::string> Blocked; // group -> reason
  std::vector<Report> Reports;
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> SeenReports;
  for (const TUResult &TU : TUs)
    for (const Report &R : TU.Reports) {
      if (!R.Owner.empty() && !Need.count(Groups.find(R.Owner)))
        continue;
      if (!SeenReports.insert({R.File, R.Line, R.Col, R.Message}).second)
        continue;
      Reports.push_back(R);
      if (!R.Owner.empty())
        Blocked.try_emplace(Groups.find(R.Owner), R.Message);
    }
  for (const auto &[USR, F] : Fns) {
    std::string G = Groups.find(USR);
    if (!Need.count(G))
      continue;
    if (F.AddressTaken) {
      std::string Msg = "'" + F.Name +
                        "' needs a scope but its address is taken (a function pointer, std::function or thread "
                        "entry whose callers are unknown; a callback called by v1 code outside the project can "
                        "be listed in public_api)";
      if (Blocked.try_emplace(G, Msg).second) {
        Report R;
        llvm::StringRef W(F.AddressTakenWhere);
        auto [File, LC] = W.rsplit(':');
        auto [File2, L] = File.rsplit(':');
        R.File = File2.str();
        L.getAsInteger(10, R.Line);
        LC.getAsInteger(10, R.Col);
        R.Message = Msg;
        R.Owner = USR;
        Reports.push_back(R);
      }
    }
    if (F.External) {
      std::string Msg = "'" + F.Name + "' is part of a virtual hierarchy that reaches outside the project";
      if (Blocked.try_emplace(G, Msg).second)
        for (const std::string &M : Members[G])
          if (!Fns[M].External) {
            Reports.push_back({Fns[M].File, Fns[M].Line, 1, Msg, M});
            break;
          }
    }
  }
  // Spread over call edges between groups that need a scope (both ways): a
  // half-migrated component would use two different stores.
  std::map<std::string, std::set<std::string>> Adjacent;
  for (const auto &[USR, F] : Fns)
    for (const std::string &C : F.Callees) {
      if (!Fns.count(C))
        continue;
      std::string A = Groups.find(USR), B = Groups.find(C);
      if (Need.count(A) && Need.count(B)) {
        Adjacent[A].insert(B);
        Adjacent[B].insert(A);
      }
    }
  for (const auto &[G, Why] : std::map<std::string, std::string>(Blocked))
    Work.push_back(G);
  while (!Work.empty()) {
    std::string G = Work.front();
    Work.pop_front();
    for (const std::string &N : Adjacent[G])
      if (Blocked.try_emplace(N, "connected to code left for manual migration").second)
        Work.push_back(N);
  }

  auto Migrated = [&](const std::string &USR) {
    std::string G = Groups.find(USR);
    return Need.count(G) && !Blocked.count(G);
  };
  auto IsBlocked = [&](const std::string &USR) { return Blocked.count(Groups.find(USR)) != 0; };
  for (const auto &[USR, F] : Fns)
    if (Migrated(USR) && F.Defined)
      Plan.Migrated.push_back(F.Name);
  std::sort(Plan.Migrated.begin(), Plan.Migrated.end());
  Plan.Migrated.erase(std::unique(Plan.Migrated.begin(), Plan.Migrated.end()), Plan.Migrated.end());

  // 5. Select the edits whose conditions hold.
  std::vector<Edit> Selected;
  for (const TUResult &TU : TUs)
    for (const Edit &E : TU.Edits) {
      if (!E.Owner.empty() && !Migrated(E.Owner))
        continue;
      bool OK = E.CondAny.empty();
      for (const std::string &C : E.CondAny) {
        if (C[0] == '!')
          OK = OK || !IsBlocked(C.substr(1));
        else
          OK = OK || Migrated(C);
      }
      if (OK)
        Selected.push_back(E);
    }
  // An entry point's root scope is created only when something uses it.
  std::set<std::string> Used;
  for (const Edit &E : Selected)
    if (!E.EntryCreation)
      for (const auto &[USR, F] : Fns)
        if (F.Entry && E.Text.find(usePlaceholder(USR)) != std::string::npos)
          Used.insert(USR);
  Selected.erase(std::remove_if(Selected.begin(), Selected.end(),
                                [&](const Edit &E) { return E.EntryCreation && !Used.count(E.Owner); }),
                 Selected.end());

  // Entry points other than main continue in v1's current scope: their
  // files keep <varscope/v1.h>.
  std::set<std::string> Bridges;
  for (const Edit &E : Selected)
    if (E.Text.find(BridgeCall) != std::string::npos) {
      Bridges.insert(E.File);
      if (auto It = Fns.find(E.Owner); It != Fns.end())
        Plan.Bridged.push_back(It->second.File + ":" + std::to_string(It->second.Line) + ": '" + It->second.Name +
                               "'");
    }
  std::sort(Plan.Bridged.begin(), Plan.Bridged.end());
  Plan.Bridged.erase(std::unique(Plan.Bridged.begin(), Plan.Bridged.end()), Plan.Bridged.end());

  // 6. The include swap and alias removal, where nothing v1 remains.
  auto Covered = [&](const V1Ref &R) {
    for (const Edit &E : Selected)
      if (E.File == R.File && E.Offset <= R.Offset && R.Offset < E.Offset + std::max(E.Length, 1u) && E.Length)
        return true;
    return false;
  };
  std::set<std::string> Dirty; // files where something v1 remains
  for (const TUResult &TU : TUs)
    for (const V1Ref &R : TU.Refs)
      if (!Dirty.count(R.File) && !Covered(R))
        Dirty.insert(R.File);
  for (const Report &R : Reports)
    Dirty.insert(R.File);
  Dirty.insert(Bridges.begin(), Bridges.end());
  for (const TUResult &TU : TUs) {
    if (TU.Failed)
      continue;
    for (const Site &S : TU.Aliases)
      if (!Dirty.count(S.File))
        Selected.push_back({S.File, S.Offset, S.Length, "", "", {}, false, S.File + ": namespace alias v1"});
    for (const Site &S : TU.Includes) {
      if (Dirty.count(S.File))
        continue;
      // Every TU that reads this file must be free of v1 too (it may rely on
      // the include transitively).
      bool Clean = true;
      for (const TUResult &Other : TUs)
        if (Other.Files.count(S.File))
          for (const auto &[File, Hash] : Other.Files)
            Clean = Clean && !Dirty.count(File);
      if (Clean)
        Selected.push_back({S.File, S.Offset, S.Length, S.Replacement, "", {}, false, S.File + ": #include"});
    }
  }

  // 6b. A file that gains a `varscope::` name but includes no varscope
  // header (a header declaring functions that now take a scope) gets
  // `#include <varscope/varscope.h>` after its last include or its guard.
  std::map<std::string, IncludePoint> Points;
  for (const TUResult &TU : TUs)
    if (!TU.Failed)
      for (const auto &[File, P] : TU.IncludePoints)
        Points.try_emplace(File, P);
  std::set<std::string> NeedInclude;
  for (const Edit &E : Selected)
    if (E.Text.find("varscope::") != std::string::npos)
      if (auto It = Points.find(E.File); It != Points.end() && !It->second.HasVarscope)
        NeedInclude.insert(E.File);
  for (const std::string &File : NeedInclude) {
    const IncludePoint &P = Points[File];
    Selected.push_back({File, P.Offset, 0, P.Text, "", {}, false, File + ": #include <varscope/varscope.h>"});
  }

  // 7. Resolve names, merge per file, reject overlaps.
  for (Edit &E : Selected) {
    E.Text = resolve(E.Text, Fns);
    // `varscope::Scope s = s.variable_scope(...)` would compile and read an
    // uninitialized handle: never emit it.
    llvm::StringRef Src(E.Source);
    size_t At = Src.find("guard '");
    if (At != llvm::StringRef::npos) {
      llvm::StringRef Name = Src.substr(At + 7).split('\'').first;
      if (llvm::StringRef(E.Text).starts_with((" = " + Name + ".").str()))
        return error("internal: the scope name '" + Name.str() + "' collides with a guard at " + E.Source);
    }
    E.Owner.clear();
    E.CondAny.clear();
    E.EntryCreation = false;
  }
  std::map<std::string, std::vector<Edit>> PerFile;
  for (Edit &E : Selected)
    PerFile[E.File].push_back(std::move(E));
  for (auto &[File, Edits] : PerFile) {
    std::stable_sort(Edits.begin(), Edits.end(), [](const Edit &A, const Edit &B) {
      return std::tie(A.Offset, A.Length, A.Text) < std::tie(B.Offset, B.Length, B.Text);
    });
    std::vector<Edit> Unique;
    for (Edit &E : Edits) {
      if (!Unique.empty() && Unique.back().Offset == E.Offset && Unique.back().Length == E.Length &&
          Unique.back().Text == E.Text)
        continue;
      Unique.push_back(std::move(E));
    }
    for (size_t I = 1; I < Unique.size(); ++I) {
      const Edit &A = Unique[I - 1], &B = Unique[I];
      bool SameInsert = A.Length == 0 && B.Length == 0 && A.Offset == B.Offset;
      bool Overlap = B.Offset < A.Offset + A.Length;
      if (SameInsert || Overlap)
        return error("conflicting edits in " + File + " at offset " + std::to_string(B.Offset) + ": '" + A.Source +
                     "' and '" + B.Source + "'");
    }
    Plan.Files[File] = std::move(Unique);
  }
  std::sort(Reports.begin(), Reports.end(), [](const Report &A, const Report &B) {
    return std::tie(A.File, A.Line, A.Col, A.Message) < std::tie(B.File, B.Line, B.Col, B.Message);
  });
  Plan.Reports = std::move(Reports);
  return Plan;
}

} // namespace varscope::rewrite
