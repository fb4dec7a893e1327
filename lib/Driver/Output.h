//===- Output.h - Text, JSON, SARIF and fix renderings ----------*- C++ -*-===//
#pragma once

#include "Analysis/Model.h"
#include "Rules/Finding.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace varscope::driver {

/// clang-style: `file:line:col: warning: message [id]`, the source line and
/// a caret, then the notes the same way.
void printFindingsText(const std::vector<rules::Finding> &Findings, llvm::raw_ostream &OS);
void printFindingsJSON(const std::vector<rules::Finding> &Findings, llvm::raw_ostream &OS);

/// SARIF 2.1.0 (GitHub code scanning): one run, every rule with its
/// descriptions and help URI, one result per finding with its notes as
/// related locations. URIs are relative to SourceRoot (uriBaseId SRCROOT);
/// files outside it keep an absolute file:// URI.
void printFindingsSARIF(const std::vector<rules::Finding> &Findings, const std::string &SourceRoot,
                        llvm::raw_ostream &OS);

/// The YAML clang-apply-replacements reads (clang::tooling::
/// TranslationUnitDiagnostics): every finding with its replacements.
void printFixesYAML(const std::vector<rules::Finding> &Findings, llvm::raw_ostream &OS);

/// Path of File relative to Root (both absolute); File itself when it is not
/// under Root.
std::string relativePath(const std::string &File, const std::string &Root);
/// The finding's stable identity: a hash of its id, subject (the full
/// variable name; the message when there is none) and file relative to Root.
std::string fingerprint(const rules::Finding &F, const std::string &Root);

/// The variables of a resolved program, deduplicated by (name, site).
std::vector<const analysis::Variable *> uniqueVariables(const analysis::Result &R);
void printNamesText(const analysis::Result &R, llvm::raw_ostream &OS);
void printNamesJSON(const analysis::Result &R, llvm::raw_ostream &OS);

} // namespace varscope::driver
