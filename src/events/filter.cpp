#include "events/filter.hpp"

#include <cctype>
#include <cstring>

namespace onvif::events {

const char kConcreteDialect[] = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete";
const char kConcreteSetDialect[] = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";
const char kItemFilterDialect[] = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter";

namespace {

constexpr std::size_t kMaxExpression = 4096;
constexpr int kMaxDepth = 32;

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool nameChar(char c) {
  return isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         (static_cast<unsigned char>(c) & 0x80);
}

// "pfx:Local" or "Local" -> "Local"; empty if not a (Q)Name.
std::string localName(const std::string& qname) {
  std::size_t colon = qname.find(':');
  if (colon != std::string::npos && qname.find(':', colon + 1) != std::string::npos) return {};
  std::string local = colon == std::string::npos ? qname : qname.substr(colon + 1);
  if (colon == 0) return {};
  if (local.empty() || isdigit(static_cast<unsigned char>(local[0])) || local[0] == '-' || local[0] == '.')
    return {};
  for (char c : local)
    if (!nameChar(c)) return {};
  for (std::size_t i = 0; colon != std::string::npos && i < colon; ++i)
    if (!nameChar(qname[i])) return {};
  return local;
}

}  // namespace

std::vector<std::string> topicSegments(const std::string& topic) {
  std::vector<std::string> out;
  std::string t = trim(topic);
  std::size_t pos = 0;
  while (pos <= t.size()) {
    std::size_t slash = t.find('/', pos);
    if (slash == std::string::npos) slash = t.size();
    std::string local = localName(t.substr(pos, slash - pos));
    if (local.empty()) return {};
    out.push_back(local);
    pos = slash + 1;
  }
  return out;
}

// --- topic expressions -----------------------------------------------------------

FilterError TopicFilter::parse(const std::string& dialectRaw, const std::string& expressionRaw) {
  const std::string dialect = trim(dialectRaw);
  // The Core spec's own example names ".../wsnt/t-1/..." for ConcreteSet; accept it too.
  if (!dialect.empty() && dialect != kConcreteDialect && dialect != kConcreteSetDialect &&
      dialect != "http://docs.oasis-open.org/wsnt/t-1/TopicExpression/ConcreteSet")
    return FilterError::TopicDialectUnknown;
  const std::string expression = trim(expressionRaw);
  if (expression.empty() || expression.size() > kMaxExpression) return FilterError::InvalidTopic;
  paths_.clear();
  std::size_t pos = 0;
  while (pos <= expression.size()) {
    std::size_t bar = expression.find('|', pos);
    if (bar == std::string::npos) bar = expression.size();
    std::string text = trim(expression.substr(pos, bar - pos));
    Path path;
    if (text.size() >= 3 && text.compare(text.size() - 3, 3, "//.") == 0) {
      path.subtree = true;
      text.resize(text.size() - 3);
    }
    path.segments = topicSegments(text);
    if (path.segments.empty()) return FilterError::InvalidTopic;
    paths_.push_back(std::move(path));
    if (paths_.size() > 64) return FilterError::InvalidTopic;
    pos = bar + 1;
  }
  return FilterError::None;
}

bool TopicFilter::matches(const std::string& topic) const {
  const std::vector<std::string> segments = topicSegments(topic);
  for (const Path& p : paths_) {
    if (segments.size() < p.segments.size()) continue;
    if (!p.subtree && segments.size() != p.segments.size()) continue;
    bool equal = true;
    for (std::size_t i = 0; i < p.segments.size() && equal; ++i) equal = segments[i] == p.segments[i];
    if (equal) return true;
  }
  return false;
}

// --- message content (ItemFilter) ----------------------------------------------------

struct ContentFilter::Node {
  enum Kind { And, Or, Not, Exists, NameIs, ValueIs } kind;
  std::unique_ptr<Node> left, right;  // And/Or: both; Not/Exists: left
  bool element_item = false;          // Exists: //ElementItem (Name only; no @Value)
  std::string text;                   // NameIs/ValueIs
};

namespace {

using Node = ContentFilter::Node;

// Tokens: ( ) [ ] = // @Name @Value "string" and or not boolean tt:SimpleItem ...
class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  std::unique_ptr<Node> parseAll() {
    auto n = expr(0, false);
    skipSpace();
    if (!n || pos_ != s_.size()) return nullptr;
    return n;
  }

 private:
  void skipSpace() {
    while (pos_ < s_.size() && isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(const char* tok) {
    skipSpace();
    std::size_t n = strlen(tok);
    if (s_.compare(pos_, n, tok) != 0) return false;
    // words must end at a word boundary
    if (isalpha(static_cast<unsigned char>(tok[n - 1])) && pos_ + n < s_.size() && nameChar(s_[pos_ + n]))
      return false;
    pos_ += n;
    return true;
  }
  bool quoted(std::string* out) {
    skipSpace();
    // ASCII quotes, and the typographic ones the spec's examples print (U+201C/U+201D).
    static const char* kOpen[] = {"\"", "'", "\xE2\x80\x9C", "\xE2\x80\x9D"};
    for (const char* open : kOpen) {
      std::size_t n = strlen(open);
      if (s_.compare(pos_, n, open) != 0) continue;
      std::size_t start = pos_ + n;
      std::size_t end = std::string::npos;
      const char* closes[] = {open, "\xE2\x80\x9D"};
      std::size_t closeLen = 0;
      for (const char* close : closes) {
        std::size_t e = s_.find(close, start);
        if (e != std::string::npos && e < end) {
          end = e;
          closeLen = strlen(close);
        }
      }
      if (end == std::string::npos) return false;
      *out = s_.substr(start, end - start);
      pos_ = end + closeLen;
      return true;
    }
    return false;
  }

  static std::unique_ptr<Node> binary(Node::Kind kind, std::unique_ptr<Node> l, std::unique_ptr<Node> r) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->left = std::move(l);
    n->right = std::move(r);
    return n;
  }

  // expr := term ('or' term)* ; term := factor ('and' factor)*  (and binds tighter)
  std::unique_ptr<Node> expr(int depth, bool attr) {
    if (depth > kMaxDepth) return nullptr;
    auto left = term(depth, attr);
    while (left && eat("or")) {
      auto right = term(depth, attr);
      if (!right) return nullptr;
      left = binary(Node::Or, std::move(left), std::move(right));
    }
    return left;
  }
  std::unique_ptr<Node> term(int depth, bool attr) {
    auto left = factor(depth, attr);
    while (left && eat("and")) {
      auto right = factor(depth, attr);
      if (!right) return nullptr;
      left = binary(Node::And, std::move(left), std::move(right));
    }
    return left;
  }
  std::unique_ptr<Node> factor(int depth, bool attr) {
    if (depth > kMaxDepth) return nullptr;
    if (eat("not")) {
      if (!eat("(")) return nullptr;
      auto inner = expr(depth + 1, attr);
      if (!inner || !eat(")")) return nullptr;
      return binary(Node::Not, std::move(inner), nullptr);
    }
    if (eat("(")) {
      auto inner = expr(depth + 1, attr);
      if (!inner || !eat(")")) return nullptr;
      return inner;
    }
    return attr ? comparison() : boolExpr(depth);
  }
  // boolean( // [prefix:] SimpleItem|ElementItem [ attrExpr ] )
  std::unique_ptr<Node> boolExpr(int depth) {
    if (!eat("boolean") || !eat("(") || !eat("//")) return nullptr;
    skipSpace();
    std::size_t start = pos_;
    while (pos_ < s_.size() && (nameChar(s_[pos_]) || s_[pos_] == ':')) ++pos_;
    std::string local = localName(s_.substr(start, pos_ - start));
    auto n = std::make_unique<Node>();
    n->kind = Node::Exists;
    if (local == "ElementItem")
      n->element_item = true;
    else if (local != "SimpleItem")
      return nullptr;
    if (!eat("[")) return nullptr;
    n->left = expr(depth + 1, true);
    if (!n->left || !eat("]") || !eat(")")) return nullptr;
    return n;
  }
  // @Name="x" | @Value="x"
  std::unique_ptr<Node> comparison() {
    auto n = std::make_unique<Node>();
    if (eat("@Name"))
      n->kind = Node::NameIs;
    else if (eat("@Value"))
      n->kind = Node::ValueIs;
    else
      return nullptr;
    if (!eat("=") || !quoted(&n->text)) return nullptr;
    return n;
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

// `value` is nullptr for an ElementItem, which has a Name but no Value.
bool evalAttr(const Node& n, const std::string& name, const std::string* value) {
  switch (n.kind) {
    case Node::And: return evalAttr(*n.left, name, value) && evalAttr(*n.right, name, value);
    case Node::Or: return evalAttr(*n.left, name, value) || evalAttr(*n.right, name, value);
    case Node::Not: return !evalAttr(*n.left, name, value);
    case Node::NameIs: return name == n.text;
    case Node::ValueIs: return value && *value == n.text;
    default: return false;
  }
}

bool evalBool(const Node& n, const EventMessage& m) {
  switch (n.kind) {
    case Node::And: return evalBool(*n.left, m) && evalBool(*n.right, m);
    case Node::Or: return evalBool(*n.left, m) || evalBool(*n.right, m);
    case Node::Not: return !evalBool(*n.left, m);
    case Node::Exists: {
      if (n.element_item) {
        for (const auto& item : m.data_elements)
          if (evalAttr(*n.left, item.name, nullptr)) return true;
        return false;
      }
      for (const auto* group : {&m.source, &m.key, &m.data})
        for (const auto& item : *group)
          if (evalAttr(*n.left, item.name, &item.value)) return true;
      return false;
    }
    default: return false;
  }
}

}  // namespace

ContentFilter::ContentFilter() = default;
ContentFilter::~ContentFilter() = default;
ContentFilter::ContentFilter(ContentFilter&&) noexcept = default;
ContentFilter& ContentFilter::operator=(ContentFilter&&) noexcept = default;

FilterError ContentFilter::parse(const std::string& dialect, const std::string& expression) {
  if (trim(dialect) != kItemFilterDialect) return FilterError::ContentDialectUnknown;
  if (expression.size() > kMaxExpression) return FilterError::InvalidContent;
  const std::string text = trim(expression);
  root_ = Parser(text).parseAll();
  return root_ ? FilterError::None : FilterError::InvalidContent;
}

bool ContentFilter::matches(const EventMessage& message) const {
  return root_ && evalBool(*root_, message);
}

bool SubscriptionFilter::matches(const EventMessage& message) const {
  for (const TopicFilter& t : topics)
    if (!t.matches(message.topic)) return false;
  for (const ContentFilter& c : contents)
    if (!c.matches(message)) return false;
  return true;
}

}  // namespace onvif::events
