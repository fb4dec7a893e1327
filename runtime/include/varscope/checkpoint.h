// varscope/checkpoint.h - saving and restoring a Store's variables, the way
// tf.train.Saver does, in the safetensors format (docs/checkpoints.md).
//
//   varscope::save_checkpoint(store, "model.safetensors");
//   varscope::RestoreReport report = varscope::restore_checkpoint(store, "model.safetensors");
#pragma once

#include <map>
#include <string>
#include <vector>

namespace varscope {

class Store;

/// Options of save_checkpoint().
struct SaveOptions {
  /// Extra "__metadata__" entries. Keys starting with "varscope." are
  /// reserved (ValueError).
  std::map<std::string, std::string> metadata;
};

/// Options of restore_checkpoint() (tf.train.Saver is strict by default).
struct RestoreOptions {
  /// Store variables absent from the file keep their values instead of
  /// raising.
  bool allow_missing = false;
  /// Tensors in the file that match no store variable are ignored instead
  /// of raising.
  bool allow_unexpected = false;
};

/// What restore_checkpoint() did; every list is sorted by name.
struct RestoreReport {
  /// Store names of the variables that were assigned.
  std::vector<std::string> restored;
  /// Store variables the file does not have (only with allow_missing).
  std::vector<std::string> missing;
  /// File tensors no store variable has (only with allow_unexpected).
  std::vector<std::string> unexpected;
  /// The file's user metadata (reserved "varscope." entries removed).
  std::map<std::string, std::string> metadata;
};

/// Saves every variable of `store` (store.variables(): shards of a
/// partitioned variable are saved one by one under their own store names,
/// with TF's save-slice spec "full_name full_shape slice" in the metadata
/// under "varscope.slice:<store name>"). The write is atomic: a temporary
/// file in the same directory, fsync, rename, fsync of the directory.
/// Throws IOError when the file cannot be written and ValueError for a
/// reserved metadata key.
void save_checkpoint(const Store& store, const std::string& path, const SaveOptions& options = {});

/// Restores `store`'s variables from `path`. Names, shapes and dtypes are
/// checked first and *every* mismatch is reported at once in one ValueError,
/// one line per problem sorted by variable name:
///
///   Restoring from checkpoint <path> failed: 2 mismatches:
///     "a/b": shape mismatch: the store has (2, 3), the checkpoint has (3, 2)
///     "c": missing in the checkpoint
///
/// Nothing is assigned unless every check passes. Throws IOError/ValueError
/// from the reader for an unreadable or malformed file.
RestoreReport restore_checkpoint(Store& store, const std::string& path, const RestoreOptions& options = {});

} // namespace varscope
