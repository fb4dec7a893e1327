// runtime/src/store.cpp - the Store: lookups, collections, names, summary,
// op tracing.
#include "varscope/store.h"

#include <memory>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <sstream>

#include "internal.h"
#include "varscope/errors.h"

namespace varscope {

using detail::Access;

// -- Store::Impl helpers (mu held) -------------------------------------------

Store::Impl::Collection& Store::Impl::collection(std::string_view key) {
  if (auto it = collection_index.find(key); it != collection_index.end()) return *it->second;
  Collection& c = collections.emplace_back();
  c.key = std::string(key);
  collection_index.emplace(c.key, &c);
  return c;
}

void Store::Impl::add_item(std::string_view key, Item item) { collection(key).items.push_back(item); }

void Store::Impl::add_tensor(std::string_view key, Tensor tensor) {
  tensors.push_back(std::move(tensor));
  add_item(key, Item{&tensors.back(), Item::Kind::Tensor});
}

int Store::Impl::implicit_use_count(std::string_view key) const {
  // unique_name's candidates end in a digit; most stores have no variable
  // whose name does, and then no lookup is needed.
  if (!key.empty() && static_cast<unsigned char>(key.back() - '0') < 10 && vars.digit_tail_size() == 0) return 0;
  const detail::VariableNode* v = vars.find(key);
  return v && !(v->extras && !v->extras->op_name.empty()) ? 1 : 0;
}

int Store::Impl::use_count(std::string_view key) const {
  if (int count = names_in_use.get(key)) return count;
  return implicit_use_count(key);
}

const std::string* Store::Impl::intern(const std::string& description) {
  auto it = descriptions.find(description);
  if (it == descriptions.end())
    it = descriptions.emplace(description, std::make_unique<std::string>(description)).first;
  return it->second.get();
}

std::string Store::Impl::unique_name(std::string_view prefix, std::string_view name, bool mark_as_used,
                                     std::size_t extra_capacity) {
  // tf-semantics.md §2.3, line by line, with full = prefix + "/" + name:
  //   key = lower(full); i = names_in_use.get(key, 0)
  //   if mark_as_used: names_in_use[key] = i + 1
  //   if i > 0:
  //     base = key
  //     while key in names_in_use: key = base + "_" + str(i); i += 1
  //     if mark_as_used: names_in_use[key] = 1
  //     full = full + "_" + str(i - 1)
  // The key is built in a reused buffer; the table keeps its own copy.
  std::string& key = name_key;
  key.clear();
  if (!prefix.empty()) {
    detail::append_lower(key, prefix);
    key += '/';
  }
  detail::append_lower(key, name);
  auto full = [&](std::string_view tail) {
    std::string out;
    out.reserve(prefix.size() + 1 + name.size() + tail.size() + extra_capacity);
    if (!prefix.empty()) out.append(prefix).append(1, '/');
    out.append(name).append(tail);
    return out;
  };
  // One lookup per candidate key: ref() gives the count to read and set
  // (a slot created at 0 reads as "not in use", as an absent key does).
  // The candidates "<key>_<i>" of a key with an entry of its own are slots
  // of that entry's suffix array (name_counts.h), read without hashing or
  // probing for the key again.
  int i;
  long entry = -1;
  if (mark_as_used) {
    detail::NameCounts::EntryRef ref = names_in_use.ref_entry(key);
    i = *ref.count != 0 ? *ref.count : implicit_use_count(key);
    *ref.count = i + 1;
    entry = ref.entry;
  } else {
    i = use_count(key);
  }
  if (i == 0) return full({});
  std::size_t base = key.size();
  for (;; ++i) {
    key.resize(base);
    key += '_';
    key.append(detail::Decimal(i).view());
    if (!mark_as_used) {
      if (use_count(key) == 0) break;
      continue;
    }
    int& count = entry >= 0 && static_cast<unsigned>(i) <= detail::NameCounts::kMaxSuffix
                     ? names_in_use.suffix_ref(entry, static_cast<std::uint32_t>(i))
                     : names_in_use.ref(key);
    if (count == 0 && implicit_use_count(key) == 0) {
      count = 1;
      break;
    }
  }
  // The suffix is the key's tail ("_<i>"), already formatted.
  return full(std::string_view(key).substr(base));
}

// -- CollectionItem ------------------------------------------------------------

const Variable& CollectionItem::variable() const {
  if (!is_variable_) throw TypeError("CollectionItem::variable: the item is a tensor");
  return variable_;
}
const Tensor& CollectionItem::tensor() const {
  if (is_variable_) throw TypeError("CollectionItem::tensor: the item is a variable");
  return tensor_;
}

std::string CollectionItem::name() const {
  if (is_variable()) return variable().name();
  return tensor().name();
}

// -- Store ---------------------------------------------------------------------

Store::Store(StoreOptions options) : impl_(new Impl(options)) {}
Store::~Store() { delete impl_; }

Scope Store::root_scope() {
  auto data = detail::make_ref<detail::VariableScopeData>();
  data->store = this;
  return Access::make_scope(this, detail::make_ref<detail::Context>(), Access::scope(std::move(data)), "");
}

const StoreOptions& Store::options() const { return impl_->options; }
std::uint64_t Store::seed() const { return impl_->options.seed; }
void Store::set_seed(std::uint64_t seed) {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  impl_->options.seed = seed;
}

std::optional<Variable> Store::find(std::string_view name) const {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  if (detail::VariableNode* node = impl_->vars.find(name)) return Access::variable(node);
  if (auto it = impl_->pvars.find(name); it != impl_->pvars.end()) return Access::variable(it->second);
  return std::nullopt;
}

std::vector<Variable> Store::variables() const {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  std::vector<Variable> out;
  out.reserve(impl_->nodes.size() - impl_->pending_nodes);
  for (detail::VariableNode& node : impl_->nodes)
    if (!node.pending) out.push_back(Access::variable(&node));
  return out;
}

std::vector<PartitionedVariable> Store::partitioned_variables() const {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  std::vector<PartitionedVariable> out;
  for (detail::PartitionedNode& node : impl_->pnodes) out.push_back(Access::variable(&node).as_partitioned());
  return out;
}

std::size_t Store::num_variables() const {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  return impl_->nodes.size() - impl_->pending_nodes;
}

namespace {

/// TF matches the scope as a regular expression at the start of the name
/// (Python's re.match). Plain names take a fast path.
class ScopeFilter {
public:
  explicit ScopeFilter(std::string_view scope) : scope_(scope) {
    plain_ = scope.find_first_of(".^$|()[]{}*+?\\") == std::string_view::npos;
    if (!plain_ && !scope.empty()) re_.emplace(std::string(scope), std::regex::ECMAScript);
  }
  bool matches(const std::string& name) const {
    if (scope_.empty()) return true;
    if (plain_) return name.compare(0, scope_.size(), scope_) == 0;
    return std::regex_search(name, *re_, std::regex_constants::match_continuous);
  }

private:
  std::string_view scope_;
  bool plain_ = true;
  std::optional<std::regex> re_;
};

CollectionItem to_item(const Store::Impl::Item& item) {
  using Kind = Store::Impl::Item::Kind;
  switch (item.kind) {
  case Kind::Variable:
    return CollectionItem(Access::variable(const_cast<detail::VariableNode*>(static_cast<const detail::VariableNode*>(item.ptr))));
  case Kind::Partitioned:
    return CollectionItem(
        Access::variable(const_cast<detail::PartitionedNode*>(static_cast<const detail::PartitionedNode*>(item.ptr))));
  case Kind::Tensor:
    break;
  }
  return CollectionItem(*static_cast<const Tensor*>(item.ptr));
}

} // namespace

std::vector<CollectionItem> Store::get_collection(std::string_view key, std::string_view scope) const {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  std::vector<CollectionItem> out;
  auto it = impl_->collection_index.find(key);
  if (it == impl_->collection_index.end()) return out;
  ScopeFilter filter(scope);
  for (const Impl::Item& item : it->second->items) {
    CollectionItem c = to_item(item);
    if (scope.empty() || filter.matches(c.name())) out.push_back(std::move(c));
  }
  return out;
}

std::vector<Variable> Store::get_collection_variables(std::string_view key, std::string_view scope) const {
  std::vector<Variable> out;
  for (const CollectionItem& item : get_collection(key, scope))
    if (item.is_variable()) out.push_back(item.variable());
  return out;
}

void Store::add_to_collection(std::string_view key, CollectionItem item) {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  if (!item.is_variable()) return impl_->add_tensor(key, item.tensor());
  const Variable& v = item.variable();
  if (detail::VariableNode* node = Access::node(v)) return impl_->add_item(key, Impl::Item::of(node));
  if (detail::PartitionedNode* node = Access::partitioned(v)) return impl_->add_item(key, Impl::Item::of(node));
  impl_->add_tensor(key, v.value());
}

std::vector<std::string> Store::get_all_collection_keys() const {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  std::vector<std::string> keys;
  for (const Impl::Collection& c : impl_->collections) keys.push_back(c.key);
  return keys;
}

std::vector<Variable> Store::global_variables(std::string_view scope) const {
  return get_collection_variables(GraphKeys::GLOBAL_VARIABLES, scope);
}
std::vector<Variable> Store::trainable_variables(std::string_view scope) const {
  return get_collection_variables(GraphKeys::TRAINABLE_VARIABLES, scope);
}
std::vector<Variable> Store::local_variables(std::string_view scope) const {
  return get_collection_variables(GraphKeys::LOCAL_VARIABLES, scope);
}
std::vector<Tensor> Store::regularization_losses(std::string_view scope) const {
  std::vector<Tensor> out;
  for (const CollectionItem& item : get_collection(GraphKeys::REGULARIZATION_LOSSES, scope))
    out.push_back(item.is_variable() ? item.variable().value() : item.tensor());
  return out;
}

std::string Store::unique_name(std::string_view full_name, bool mark_as_used) {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  return impl_->unique_name(full_name, mark_as_used);
}

std::string Store::summary() const {
  std::vector<Variable> vars = variables();
  std::size_t width = 4;
  for (const Variable& v : vars) width = std::max(width, v.store_name().size());
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s  %-16s  %-8s  %12s\n", static_cast<int>(width), "name", "shape", "dtype",
                "parameters");
  out << line;
  std::int64_t total = 0, trainable = 0;
  for (const Variable& v : vars) {
    std::int64_t n = v.shape().num_elements();
    total += n;
    if (v.trainable()) trainable += n;
    std::snprintf(line, sizeof line, "%-*s  %-16s  %-8s  %12lld\n", static_cast<int>(width), v.store_name().c_str(),
                  v.shape().to_string().c_str(), std::string(dtype_name(v.dtype())).c_str(),
                  static_cast<long long>(n));
    out << line;
  }
  out << "variables: " << vars.size() << "  parameters: " << total << "  trainable parameters: " << trainable
      << "\n";
  return out.str();
}

void Store::set_tracing(bool on) {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  impl_->tracing = on;
}
bool Store::tracing() const { return impl_->tracing; }
void Store::record_op(OpRecord record) {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  if (impl_->tracing) impl_->trace.push_back(std::move(record));
}
std::vector<OpRecord> Store::trace() const {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  return impl_->trace;
}
void Store::clear_trace() {
  std::lock_guard<std::recursive_mutex> lock(impl_->mu);
  impl_->trace.clear();
}

std::string Store::trace_report() const {
  std::vector<OpRecord> records = trace();
  std::ostringstream out;
  std::size_t width = 4;
  for (const OpRecord& r : records) width = std::max(width, r.name.size());
  char line[1024];
  std::snprintf(line, sizeof line, "%-*s  %-20s  %-24s  %-16s  %12s\n", static_cast<int>(width), "op", "type",
                "inputs", "output", "time (us)");
  out << line;
  std::map<std::string, std::pair<int, double>> by_type;
  double total_us = 0;
  for (const OpRecord& r : records) {
    std::string inputs;
    for (std::size_t i = 0; i < r.input_shapes.size(); ++i) inputs += (i ? " " : "") + r.input_shapes[i].to_string();
    double us = static_cast<double>(r.duration_ns) / 1000.0;
    total_us += us;
    by_type[r.type].first += 1;
    by_type[r.type].second += us;
    std::snprintf(line, sizeof line, "%-*s  %-20s  %-24s  %-16s  %12.1f\n", static_cast<int>(width), r.name.c_str(),
                  r.type.c_str(), inputs.c_str(), r.output_shape.to_string().c_str(), us);
    out << line;
  }
  out << "-- by type --\n";
  for (const auto& [type, stats] : by_type) {
    std::snprintf(line, sizeof line, "%-20s  %6d ops  %12.1f us\n", type.c_str(), stats.first, stats.second);
    out << line;
  }
  std::snprintf(line, sizeof line, "total: %zu ops, %.1f us\n", records.size(), total_us);
  out << line;
  return out.str();
}

} // namespace varscope
