// multi_file/model.h - the model assembled from the layers and the encoder.
#pragma once

#include "multi_file/layers.h"

namespace multi_file {

struct ModelOutput {
  Tensor query_encoding;    // [batch, units]
  Tensor document_encoding; // [batch, units]
  Tensor scores;            // [batch, 1]
};

/// A dual encoder: one Encoder applied to queries and documents, a template
/// projection, and a scoring head built by a lambda.
ModelOutput build_model(const Tensor& queries, const Tensor& documents);

} // namespace multi_file
