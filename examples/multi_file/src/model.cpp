// multi_file/src/model.cpp - the dual-encoder model.
#include "multi_file/model.h"

#include "multi_file/encoder.h"

namespace multi_file {

ModelOutput build_model(const Tensor& queries, const Tensor& documents) {
  v1::variable_scope scope("model");
  Encoder encoder("encoder", queries.dim(1), 6);
  ModelOutput out;
  out.query_encoding = encoder(queries);
  out.document_encoding = encoder(documents); // same weights as the queries

  // The scoring head: a lambda that opens its own scope.
  auto score = [](const Tensor& q, const Tensor& d) {
    v1::variable_scope head("score");
    Tensor joint = v1::concat({q, d, v1::mul(q, d)}, 1);
    Tensor h = mlp_block(joint, {8}, [](const Tensor& t) { return v1::tanh(t); });
    return dense(h, 1, "logit");
  };
  out.scores = score(out.query_encoding, out.document_encoding);
  return out;
}

} // namespace multi_file
