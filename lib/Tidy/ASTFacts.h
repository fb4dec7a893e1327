//===- ASTFacts.h - Facts of an already-parsed translation unit -*- C++ -*-===//
//
// lib/Facts parses a file itself (extractFacts(Command)); clang-tidy and
// clangd hand us a parsed ASTContext instead. This adapter runs the same
// extractor (lib/Facts/Extractor.cpp) on that context.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Facts/Facts.h"

#include <optional>

namespace clang {
class ASTContext;
} // namespace clang

namespace varscope::tidy {

/// Facts of every user function of the parsed TU, as `varscope check` would
/// extract them. When the context's traversal scope is limited (clangd: the
/// main file's top-level declarations, with a preamble), the functions
/// defined outside that scope that the main file calls (header helpers whose
/// bodies are available, template instantiations) are extracted too.
/// Returns std::nullopt when the TU has errors: a broken AST would give
/// false findings.
std::optional<facts::TUFacts> extractFactsFromAST(clang::ASTContext &Ctx);

} // namespace varscope::tidy
