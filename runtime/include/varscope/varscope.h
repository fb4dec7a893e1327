// varscope/varscope.h - the explicit-ownership API (umbrella header).
//
//   #include <varscope/varscope.h>
//   varscope::Store store;
//   varscope::Scope root = store.root_scope();
//
// No global and no thread-local state: the user owns the Store, and scope
// handles are passed explicitly. This header does not include Eigen (see
// varscope/eigen.h for Eigen views of tensors).
#pragma once

#include "varscope/dtype.h"
#include "varscope/errors.h"
#include "varscope/initializers.h"
#include "varscope/ops.h"
#include "varscope/partitioners.h"
#include "varscope/scope.h"
#include "varscope/shape.h"
#include "varscope/store.h"
#include "varscope/tensor.h"
#include "varscope/thread.h"
#include "varscope/variable.h"
#include "varscope/variable_scope.h"
