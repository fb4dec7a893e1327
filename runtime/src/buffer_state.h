// runtime/src/buffer_state.h - which tensor buffers the runtime may keep
// derived data for (matmul's packed weight, ops/gemm_pack_cache.h), and that
// data.
//
// Data derived from a buffer's elements may be reused only while the
// elements cannot have changed. They change only through a writable pointer,
// and every writable pointer comes from the non-const Tensor::raw_data()
// (data<T>() and values<T>() call it). So each buffer is in one of three
// states:
//
//  - Sealed: no writable pointer has been handed out, so the elements are
//    what runtime code wrote before the buffer reached anyone. Derived data
//    may be attached and reused.
//  - OpOwned: an op's output under construction (make_output). The op's
//    kernel writes it freely; run_op seals it when the op returns it, and
//    Initializer::operator() seals the built-in initializers' results. No
//    user code can hold a pointer into it before that.
//  - Exposed: a writable pointer was handed out and may be written through
//    at any later time, so nothing derived is ever kept again.
//
// A new Tensor is Sealed (nobody has a pointer yet); the first non-const
// raw_data() of a Sealed buffer makes it Exposed and clears its attachment.
// Nothing leaves Exposed: a pointer taken long ago may still be written
// through. An OpOwned buffer that escapes without being sealed is merely
// never cached (only Sealed buffers are), so a missed seal costs speed,
// never a stale result.
#pragma once

#include "varscope/tensor.h"

namespace varscope::detail {

/// Data derived from a buffer's elements, owned by the buffer (destroyed
/// with it). One kind per program: the GEMM's packed operands.
class BufferAttachment {
public:
  virtual ~BufferAttachment() = default;
  /// Forgets everything derived: the buffer has become writable. May run
  /// while other threads still use data they got earlier (they must hold
  /// their own references to it).
  virtual void clear() noexcept = 0;
};

/// The attachment of t's buffer, created with make() when it has none, or
/// null when the buffer is not Sealed (or t is undefined). Thread-safe.
BufferAttachment* sealed_attachment(const Tensor& t, BufferAttachment* (*make)());

/// The attachment of t's buffer if it is Sealed and has one, else null;
/// never creates one. Thread-safe.
BufferAttachment* attachment_of(const Tensor& t);

/// Whether t's buffer is Sealed.
bool is_sealed(const Tensor& t);

/// Marks the buffer of a Tensor just created by the caller (no pointer to
/// it handed out yet) OpOwned: make_output, the built-in initializers.
void mark_op_owned(Tensor& t);

/// OpOwned -> Sealed; other states are left alone.
void seal_op_owned(const Tensor& t);

} // namespace varscope::detail
