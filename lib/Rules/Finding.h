//===- Finding.h - A diagnostic as a value ----------------------*- C++ -*-===//
#pragma once

#include "Facts/Facts.h"

#include <string>
#include <vector>

namespace varscope::rules {

using facts::Loc;
using facts::Replacement;

struct Note {
  Loc L;
  std::string Message;
  friend bool operator==(const Note &, const Note &) = default;
};

/// One diagnostic: where, what, why (notes) and, when safe, how to fix it.
struct Finding {
  std::string Id;
  Loc L;
  std::string Message;
  std::vector<Note> Notes;
  std::vector<Replacement> Fixes;
  /// What the finding is about, independent of line numbers: the full
  /// variable (or scope) name when there is one, else empty. With Id and the
  /// file it makes the SARIF fingerprint and the baseline key.
  std::string Subject;
  friend bool operator==(const Finding &, const Finding &) = default;
};

} // namespace varscope::rules
