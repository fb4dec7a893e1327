// varscope/errors.h - the exception types the runtime throws.
//
// TensorFlow raises ValueError, TypeError and RuntimeError; the runtime throws
// these with TensorFlow's exact message text (shared/spec/tf-semantics.md §18),
// so model code reads like the Python it came from.
#pragma once

#include <stdexcept>
#include <string>

namespace varscope {

/// TF's ValueError: an argument has the right type but a bad value.
class ValueError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// TF's TypeError: an argument has the wrong type.
class TypeError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// TF's RuntimeError: an operation is out of order (e.g. improper nesting).
class RuntimeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// I/O failures (checkpoint files, dumps): the message names the path.
class IOError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace varscope
