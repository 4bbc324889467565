// Over 450 lines: one regex engine whose parser, compiler and matcher share their node types.
#include "controllers/analysis/safe_regex.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace tro::controllers::analysis {

namespace {

using ByteSet = std::bitset<256>;
using Assertion = SafeRegex::Assertion;
using Inst = SafeRegex::Inst;
using Op = SafeRegex::Op;

std::string at(size_t offset) { return " at offset " + std::to_string(offset); }

bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isWordByte(unsigned char c) { return isDigit(c) || isAlpha(c) || c == '_'; }

std::optional<uint32_t> hexValue(unsigned char c) {
  if (isDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when there is none.
size_t utf8Length(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte (no overlongs, surrogates)
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return 0;
  }
  return n;
}

std::string utf8Encode(uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

ByteSet byteRange(unsigned lo, unsigned hi) {
  ByteSet s;
  for (unsigned c = lo; c <= hi; ++c) s.set(c);
  return s;
}

// A set of characters: ASCII members as bits 0..127, and whether every non-ASCII character
// belongs too (negated classes, `.`, \D \W \S). Nothing in between: non-ASCII members are not
// supported inside [...].
struct CharSet {
  ByteSet ascii;
  bool nonAscii = false;

  void addRanges(std::string_view pairs) {  // "azAZ": a-z and A-Z
    for (size_t k = 0; k + 1 < pairs.size(); k += 2) {
      ascii |=
          byteRange(static_cast<unsigned char>(pairs[k]), static_cast<unsigned char>(pairs[k + 1]));
    }
  }
  void merge(const CharSet& o) {
    ascii |= o.ascii;
    nonAscii = nonAscii || o.nonAscii;
  }
  void negate() {
    ascii = ~ascii & byteRange(0, 0x7F);
    nonAscii = !nonAscii;
  }
  void foldCase() {
    for (unsigned c = 'a'; c <= 'z'; ++c) {
      if (ascii.test(c) || ascii.test(c - 32)) {
        ascii.set(c);
        ascii.set(c - 32);
      }
    }
  }
};

CharSet perlClass(char c) {  // \d \w \s and their negations, ASCII as in RE2
  CharSet s;
  switch (c | 0x20) {
    case 'd':
      s.addRanges("09");
      break;
    case 'w':
      s.addRanges("09AZaz__");
      break;
    default:
      s.addRanges("\t\n\f\f\r\r  ");
      break;
  }
  if (c >= 'A' && c <= 'Z') s.negate();
  return s;
}

std::optional<CharSet> posixClass(std::string_view name) {
  using namespace std::string_view_literals;
  struct Named {
    std::string_view name;
    std::string_view ranges;
  };
  static constexpr Named kNamed[] = {
      {"alnum", "09AZaz"},
      {"alpha", "AZaz"},
      {"ascii", "\0\x7f"sv},
      {"blank", "\t\t  "},
      {"cntrl", "\0\x1f\x7f\x7f"sv},
      {"digit", "09"},
      {"graph", "!~"},
      {"lower", "az"},
      {"print", " ~"},
      {"punct", "!/:@[`{~"},
      {"space", "\t\r  "},
      {"upper", "AZ"},
      {"word", "09AZaz__"},
      {"xdigit", "09AFaf"},
  };
  const bool negated = !name.empty() && name[0] == '^';
  if (negated) name.remove_prefix(1);
  for (const Named& n : kNamed) {
    if (n.name != name) continue;
    CharSet s;
    s.addRanges(n.ranges);
    if (negated) s.negate();
    return s;
  }
  return std::nullopt;
}

struct Flags {
  bool foldCase = false;   // i
  bool dotNewline = true;  // s: on by default, as Prometheus matches with (?s)
  bool multiLine = false;  // m
};

// The parse tree. Children are indices into the same vector (no owning pointers, no recursion
// on destruction).
struct Node {
  enum class Kind : uint8_t { Empty, Byte, Class, AnyChar, Concat, Alt, Repeat, Assert };
  Kind kind = Kind::Empty;
  uint32_t arg = 0;  // Byte: the byte; Class, AnyChar: class index; Assert: an Assertion
  int min = 0;       // Repeat
  int max = 0;       // Repeat; -1: unbounded
  std::vector<uint32_t> kids;
};

// Fixed classes for the UTF-8 structure of AnyChar; every parse starts with them.
enum FixedClass : uint32_t { kLead2, kLead3, kLead4, kContinuation, kFixedClasses };

struct Counted {
  int min = 0;
  int max = 0;  // -1: {n,}
  size_t end = 0;
};

// A syntactically valid {n}, {n,} or {n,m} at p[i] (counts saturate above kMaxRepeat); anything
// else is not a repetition and its '{' is a literal, as in Go.
std::optional<Counted> countedAt(std::string_view p, size_t i) {
  size_t j = i + 1;
  auto number = [&](int& out) {
    const size_t start = j;
    int v = 0;
    for (; j < p.size() && isDigit(p[j]); ++j) {
      if (v <= SafeRegex::kMaxRepeat) v = v * 10 + (p[j] - '0');
    }
    out = std::min(v, SafeRegex::kMaxRepeat + 1);
    return j > start;
  };
  Counted c;
  if (!number(c.min)) return std::nullopt;
  c.max = c.min;
  if (j < p.size() && p[j] == ',') {
    ++j;
    if (j < p.size() && p[j] == '}') {
      c.max = -1;
    } else if (!number(c.max)) {
      return std::nullopt;
    }
  }
  if (j >= p.size() || p[j] != '}') return std::nullopt;
  c.end = j + 1;
  return c;
}

// Recursive descent over the pattern. Recursion follows group nesting only (bounded by
// kMaxNesting); errors are recorded once and unwind through failed().
class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(pattern) {
    classes_.push_back(byteRange(0xC2, 0xDF));  // kLead2
    classes_.push_back(byteRange(0xE0, 0xEF));  // kLead3
    classes_.push_back(byteRange(0xF0, 0xF4));  // kLead4
    classes_.push_back(byteRange(0x80, 0xBF));  // kContinuation
  }

  base::Result<uint32_t, std::string> parse() {
    const uint32_t root = parseAlt(0, Flags{});
    if (!failed() && i_ < p_.size()) fail("unexpected )" + at(i_));
    if (failed()) return base::fail(*error_);
    return root;
  }
  const std::vector<Node>& nodes() const { return nodes_; }
  std::vector<ByteSet> takeClasses() { return std::move(classes_); }

 private:
  bool failed() const { return error_.has_value(); }
  void fail(std::string message) {
    if (!error_) error_ = std::move(message);
  }
  bool peek(char c, size_t ahead = 0) const {
    return i_ + ahead < p_.size() && p_[i_ + ahead] == c;
  }

  uint32_t add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  uint32_t addByte(unsigned char b) { return add({Node::Kind::Byte, b, 0, 0, {}}); }
  uint32_t addAssert(Assertion a) {
    return add({Node::Kind::Assert, static_cast<uint32_t>(a), 0, 0, {}});
  }
  uint32_t addSet(const CharSet& s) {
    ByteSet bytes = s.ascii;
    if (s.nonAscii) {  // and every byte that cannot start a UTF-8 sequence, as one character
      bytes |= byteRange(0x80, 0xC1) | byteRange(0xF5, 0xFF);
    }
    classes_.push_back(bytes);
    const auto index = static_cast<uint32_t>(classes_.size() - 1);
    return add({s.nonAscii ? Node::Kind::AnyChar : Node::Kind::Class, index, 0, 0, {}});
  }
  uint32_t addSequence(Node::Kind kind, std::vector<uint32_t> kids) {
    if (kids.size() == 1) return kids[0];
    return add({kids.empty() ? Node::Kind::Empty : kind, 0, 0, 0, std::move(kids)});
  }
  uint32_t addLiteral(std::string_view bytes, const Flags& flags) {
    if (bytes.size() == 1 && flags.foldCase && isAlpha(bytes[0])) {
      CharSet s;
      s.ascii.set(static_cast<unsigned char>(bytes[0]));
      s.foldCase();
      return addSet(s);
    }
    std::vector<uint32_t> kids;
    for (char b : bytes) kids.push_back(addByte(static_cast<unsigned char>(b)));
    return addSequence(Node::Kind::Concat, std::move(kids));
  }

  // alt := concat ('|' concat)*. A flag group such as (?i) changes `flags` for the rest of the
  // enclosing group, later alternatives included.
  uint32_t parseAlt(int depth, Flags flags) {
    std::vector<uint32_t> alts{parseConcat(depth, flags)};
    while (!failed() && peek('|')) {
      ++i_;
      alts.push_back(parseConcat(depth, flags));
    }
    return addSequence(Node::Kind::Alt, std::move(alts));
  }

  uint32_t parseConcat(int depth, Flags& flags) {
    std::vector<uint32_t> items;
    while (!failed() && i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      if (auto item = parseRepeat(depth, flags)) items.push_back(*item);
    }
    return addSequence(Node::Kind::Concat, std::move(items));
  }

  // A quantifier at i_ ({n,m} only when well formed), without consuming it.
  std::optional<Counted> quantifierAt() const {
    if (i_ >= p_.size()) return std::nullopt;
    switch (p_[i_]) {
      case '*':
        return Counted{0, -1, i_ + 1};
      case '+':
        return Counted{1, -1, i_ + 1};
      case '?':
        return Counted{0, 1, i_ + 1};
      case '{':
        return countedAt(p_, i_);
      default:
        return std::nullopt;
    }
  }

  std::optional<uint32_t> parseRepeat(int depth, Flags& flags) {
    std::optional<uint32_t> atom = parseAtom(depth, flags);
    if (failed() || !atom) return atom;
    const size_t start = i_;
    std::optional<Counted> q = quantifierAt();
    if (!q) return atom;
    if (q->min > SafeRegex::kMaxRepeat || q->max > SafeRegex::kMaxRepeat) {
      fail("repeat count above " + std::to_string(SafeRegex::kMaxRepeat) + at(start));
      return std::nullopt;
    }
    if (q->max != -1 && q->max < q->min) {
      fail("invalid repeat count (max below min)" + at(start));
      return std::nullopt;
    }
    i_ = q->end;
    if (peek('?')) ++i_;  // lazy: the same set of full matches
    if (quantifierAt()) {
      fail("invalid nested repetition operator" + at(i_));
      return std::nullopt;
    }
    return add({Node::Kind::Repeat, 0, q->min, q->max, {*atom}});
  }

  // One atom, or nullopt for a flag group like (?i) that matches nothing itself.
  std::optional<uint32_t> parseAtom(int depth, Flags& flags) {
    const char c = p_[i_];
    switch (c) {
      case '(':
        return parseGroup(depth, flags);
      case '[':
        return parseClass(flags);
      case '.': {
        ++i_;
        CharSet any;
        any.negate();
        if (!flags.dotNewline) any.ascii.reset('\n');
        return addSet(any);
      }
      case '^':
        ++i_;
        return addAssert(flags.multiLine ? Assertion::BeginLine : Assertion::BeginText);
      case '$':
        ++i_;
        return addAssert(flags.multiLine ? Assertion::EndLine : Assertion::EndText);
      case '\\':
        return parseEscapeAtom(flags);
      case '*':
      case '+':
      case '?':
        fail("missing argument to repetition operator" + at(i_));
        return std::nullopt;
      case '{':
        if (countedAt(p_, i_)) {
          fail("missing argument to repetition operator" + at(i_));
          return std::nullopt;
        }
        break;
      default:
        break;
    }
    const size_t n = utf8Length(p_, i_);  // the pattern is valid UTF-8: n >= 1
    const uint32_t literal = addLiteral(p_.substr(i_, n), flags);
    i_ += n;
    return literal;
  }

  std::optional<uint32_t> parseGroup(int depth, Flags& flags) {
    const size_t open = i_;
    if (depth >= SafeRegex::kMaxNesting) {
      fail("groups nested deeper than " + std::to_string(SafeRegex::kMaxNesting) + at(open));
      return std::nullopt;
    }
    ++i_;
    Flags inner = flags;
    if (peek('?')) {
      ++i_;
      if (peek('=') || peek('!')) {
        fail("lookahead (?= (?! is not supported" + at(open));
        return std::nullopt;
      }
      if (peek('<') && (peek('=', 1) || peek('!', 1))) {
        fail("lookbehind (?<= (?<! is not supported" + at(open));
        return std::nullopt;
      }
      if (peek('P') && peek('=', 1)) {
        fail("backreferences are not supported" + at(open));
        return std::nullopt;
      }
      if (peek('<') || (peek('P') && peek('<', 1))) {
        if (!skipGroupName(open)) return std::nullopt;
      } else if (peek(':')) {
        ++i_;
      } else {
        const bool scoped = parseFlags(open, inner);
        if (failed()) return std::nullopt;
        if (!scoped) {  // (?i): for the rest of the enclosing group
          flags = inner;
          return std::nullopt;
        }
      }
    }
    const uint32_t body = parseAlt(depth + 1, inner);
    if (failed()) return std::nullopt;
    if (!peek(')')) {
      fail("missing closing ) for the group" + at(open));
      return std::nullopt;
    }
    ++i_;
    return body;
  }

  // (?P<name> or (?<name>: names are [A-Za-z0-9_]+ and only skipped (nothing captures).
  bool skipGroupName(size_t open) {
    i_ += peek('P') ? 2 : 1;
    const size_t start = i_;
    while (i_ < p_.size() && isWordByte(p_[i_])) ++i_;
    if (i_ == start || !peek('>')) {
      fail("invalid named capture group" + at(open));
      return false;
    }
    ++i_;
    return true;
  }

  // Flags after "(?": [imsU]* optionally followed by -[imsU]+, then ')' (returns false) or ':'
  // (returns true, the flags scope the group).
  bool parseFlags(size_t open, Flags& flags) {
    bool negated = false;
    bool any = false;
    for (; i_ < p_.size(); ++i_) {
      const char c = p_[i_];
      if (c == 'i' || c == 'm' || c == 's' || c == 'U') {
        if (c == 'i') flags.foldCase = !negated;
        if (c == 'm') flags.multiLine = !negated;
        if (c == 's') flags.dotNewline = !negated;
        any = true;  // U (ungreedy) changes no full match
      } else if (c == '-' && !negated) {
        negated = true;
        any = false;
      } else if ((c == ')' || c == ':') && any) {
        ++i_;
        return c == ':';
      } else {
        break;
      }
    }
    fail("invalid or unsupported group syntax (flags are i, m, s, U)" + at(open));
    return false;
  }

  // What a backslash escape stands for: one code point, a set, or an assertion.
  struct Escape {
    enum class Kind { CodePoint, Set, Assert } kind = Kind::CodePoint;
    uint32_t codePoint = 0;
    CharSet set;
    Assertion assertion = Assertion::BeginText;
  };

  // \a \f \t \n \r \v.
  static std::optional<uint32_t> controlEscape(unsigned char c) {
    switch (c) {
      case 'a':
        return '\a';
      case 'f':
        return '\f';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'v':
        return '\v';
      default:
        return std::nullopt;
    }
  }

  std::optional<Escape> parseEscape() {
    const size_t start = i_;
    if (i_ + 1 >= p_.size()) {
      fail("trailing backslash at end of pattern");
      return std::nullopt;
    }
    const auto c = static_cast<unsigned char>(p_[i_ + 1]);
    i_ += 2;
    Escape e;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
        e.kind = Escape::Kind::Set;
        e.set = perlClass(static_cast<char>(c));
        return e;
      case 'A':
      case 'z':
      case 'b':
      case 'B':
        e.kind = Escape::Kind::Assert;
        e.assertion = c == 'A'   ? Assertion::BeginText
                      : c == 'z' ? Assertion::EndText
                      : c == 'b' ? Assertion::WordBoundary
                                 : Assertion::NotWord;
        return e;
      case 'x':
        return parseHex(start);
      case 'p':
      case 'P':
        fail("Unicode classes \\p and \\P are not supported" + at(start));
        return std::nullopt;
      case 'Q':
        fail("\\Q...\\E is not supported" + at(start));
        return std::nullopt;
      default:
        break;
    }
    if (auto control = controlEscape(c)) {
      e.codePoint = *control;
      return e;
    }
    if (isDigit(c)) {
      fail("backreferences and octal escapes are not supported" + at(start));
    } else if (c < 0x80 && !isAlpha(c)) {
      e.codePoint = c;  // escaped punctuation is itself
      return e;
    } else if (c < 0x80) {
      fail(std::string("invalid escape sequence \\") + static_cast<char>(c) + at(start));
    } else {
      fail("invalid escape sequence" + at(start));
    }
    return std::nullopt;
  }

  // \xHH or \x{H...} (at most U+10FFFF); i_ is after the 'x'.
  std::optional<Escape> parseHex(size_t start) {
    Escape e;
    const bool braced = peek('{');
    if (braced) ++i_;
    size_t digits = 0;
    while (i_ < p_.size() && (braced || digits < 2)) {
      std::optional<uint32_t> v = hexValue(p_[i_]);
      if (!v) break;
      e.codePoint = e.codePoint * 16 + *v;
      ++i_;
      if (++digits > 6 || e.codePoint > 0x10FFFF) break;
    }
    const bool closed = !braced || peek('}');
    if (closed && braced) ++i_;
    if (!closed || digits == 0 || (!braced && digits != 2) || e.codePoint > 0x10FFFF) {
      fail("invalid \\x escape" + at(start));
      return std::nullopt;
    }
    return e;
  }

  std::optional<uint32_t> parseEscapeAtom(const Flags& flags) {
    std::optional<Escape> e = parseEscape();
    if (!e) return std::nullopt;
    switch (e->kind) {
      case Escape::Kind::Set:
        return addSet(e->set);
      case Escape::Kind::Assert:
        return addAssert(e->assertion);
      case Escape::Kind::CodePoint:
        break;
    }
    return addLiteral(utf8Encode(e->codePoint), flags);
  }

  std::optional<uint32_t> parseClass(const Flags& flags) {
    const size_t open = i_;
    ++i_;
    const bool negated = peek('^');
    if (negated) ++i_;
    CharSet set;
    for (bool first = true;; first = false) {
      if (i_ >= p_.size()) {
        fail("missing closing ] for the class" + at(open));
        return std::nullopt;
      }
      if (peek(']') && !first) break;
      if (peek('[') && peek(':', 1) && p_.find(":]", i_ + 2) != std::string_view::npos) {
        if (!parsePosix(set)) return std::nullopt;
        continue;
      }
      std::optional<unsigned char> lo = parseClassChar(set);
      if (failed()) return std::nullopt;
      if (!lo) continue;  // it was \d and the like, already merged
      unsigned char hi = *lo;
      if (peek('-') && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        const size_t dash = i_++;
        CharSet none;
        std::optional<unsigned char> end = parseClassChar(none);
        if (failed()) return std::nullopt;
        if (!end || *end < *lo) {
          fail("invalid character class range" + at(dash));
          return std::nullopt;
        }
        hi = *end;
      }
      set.ascii |= byteRange(*lo, hi);
    }
    ++i_;
    if (flags.foldCase) set.foldCase();
    if (negated) set.negate();
    return addSet(set);
  }

  // [:name:] or [:^name:] inside a class; i_ is at its '[' and a ":]" follows (else, as in Go,
  // the '[' is a plain member).
  bool parsePosix(CharSet& set) {
    const size_t start = i_;
    const size_t close = p_.find(":]", i_ + 2);
    std::optional<CharSet> named = posixClass(p_.substr(i_ + 2, close - i_ - 2));
    if (!named) {
      fail("invalid POSIX class [:name:]" + at(start));
      return false;
    }
    set.merge(*named);
    i_ = close + 2;
    return true;
  }

  // One member of a class: its byte, or nullopt after merging a \d-like set into `set`.
  std::optional<unsigned char> parseClassChar(CharSet& set) {
    const size_t start = i_;
    if (!peek('\\')) {
      const auto c = static_cast<unsigned char>(p_[i_]);
      if (c >= 0x80) {
        fail("non-ASCII characters inside [...] are not supported (use an alternation)" +
             at(start));
        return std::nullopt;
      }
      ++i_;
      return c;
    }
    std::optional<Escape> e = parseEscape();
    if (!e) return std::nullopt;
    if (e->kind == Escape::Kind::Set) {
      set.merge(e->set);
      return std::nullopt;
    }
    if (e->kind == Escape::Kind::Assert || e->codePoint >= 0x80) {
      fail("escape not allowed inside [...]" + at(start));
      return std::nullopt;
    }
    return static_cast<unsigned char>(e->codePoint);
  }

  std::string_view p_;
  size_t i_ = 0;
  std::optional<std::string> error_;
  std::vector<Node> nodes_;
  std::vector<ByteSet> classes_;
};

// States an AnyChar takes: ASCII-or-stray byte, or a lead byte and its continuation bytes.
constexpr uint64_t kAnyCharStates = 10;

// Program size of one node, given the sizes of its children.
uint64_t nodeStates(const Node& n, const std::vector<uint64_t>& size) {
  uint64_t total = 0;
  switch (n.kind) {
    case Node::Kind::Empty:
      return 0;
    case Node::Kind::Byte:
    case Node::Kind::Class:
    case Node::Kind::Assert:
      return 1;
    case Node::Kind::AnyChar:
      return kAnyCharStates;
    case Node::Kind::Concat:
    case Node::Kind::Alt:
      for (uint32_t kid : n.kids) total += size[kid];
      if (n.kind == Node::Kind::Alt) total += 2 * (n.kids.size() - 1);  // split + jump
      return total;
    case Node::Kind::Repeat: {
      const uint64_t s = size[n.kids[0]];
      const auto min = static_cast<uint64_t>(n.min);
      if (s == 0) return 0;  // repeating nothing is nothing; never emitted
      if (n.max == -1) return min == 0 ? s + 2 : min * s + 1;
      return min * s + (static_cast<uint64_t>(n.max) - min) * (s + 1);
    }
  }
  return 0;
}

// Program size of every node, saturated just above kMaxStates so that nested counts cannot
// overflow. Children precede their parents in `nodes`, so one pass in order, no recursion.
std::vector<uint64_t> stateCounts(const std::vector<Node>& nodes) {
  constexpr uint64_t kCap = SafeRegex::kMaxStates + 1;
  std::vector<uint64_t> size(nodes.size(), 0);
  for (size_t i = 0; i < nodes.size(); ++i) size[i] = std::min(kCap, nodeStates(nodes[i], size));
  return size;
}

// Thompson construction into a flat program; each fragment falls through to the state after it.
class Emitter {
 public:
  // `sizes` from stateCounts(); the emitted program of a node has exactly that many states.
  Emitter(const std::vector<Node>& nodes, const std::vector<uint64_t>& sizes)
      : nodes_(nodes), sizes_(sizes) {}

  std::vector<Inst> finish(uint32_t root) && {
    emit(root);
    push(Op::Match, 0, 0);
    return std::move(program_);
  }

 private:
  uint32_t here() const { return static_cast<uint32_t>(program_.size()); }
  uint32_t push(Op op, uint32_t arg, uint32_t x, uint32_t y = 0) {
    program_.push_back({op, arg, x, y});
    return here() - 1;
  }

  void emit(uint32_t index) {
    if (sizes_[index] == 0) return;  // also keeps (?:(?:){1000}){1000} from looping for nothing
    const Node& n = nodes_[index];
    switch (n.kind) {
      case Node::Kind::Empty:
        return;
      case Node::Kind::Byte:
        push(Op::Byte, n.arg, here() + 1);
        return;
      case Node::Kind::Class:
        push(Op::Class, n.arg, here() + 1);
        return;
      case Node::Kind::Assert:
        push(Op::Assert, n.arg, here() + 1);
        return;
      case Node::Kind::AnyChar:
        emitAnyChar(n.arg);
        return;
      case Node::Kind::Concat:
        for (uint32_t kid : n.kids) emit(kid);
        return;
      case Node::Kind::Alt:
        emitAlt(n.kids);
        return;
      case Node::Kind::Repeat:
        emitRepeat(n.kids[0], n.min, n.max);
        return;
    }
  }

  void emitAlt(const std::vector<uint32_t>& kids) {
    std::vector<uint32_t> jumps;
    for (size_t k = 0; k + 1 < kids.size(); ++k) {
      const uint32_t split = push(Op::Split, 0, here() + 1);
      emit(kids[k]);
      jumps.push_back(push(Op::Jump, 0, 0));
      program_[split].y = here();
    }
    emit(kids.back());
    for (uint32_t j : jumps) program_[j].x = here();
  }

  void emitRepeat(uint32_t kid, int min, int max) {
    if (max == -1 && min == 0) {  // x*: L: split(body, out); body; jump L
      const uint32_t loop = push(Op::Split, 0, here() + 1);
      emit(kid);
      push(Op::Jump, 0, loop);
      program_[loop].y = here();
      return;
    }
    if (max == -1) {  // x{n,}: n-1 copies, then L: body; split(L, out)
      for (int k = 0; k + 1 < min; ++k) emit(kid);
      const uint32_t loop = here();
      emit(kid);
      push(Op::Split, 0, loop, here() + 1);
      return;
    }
    for (int k = 0; k < min; ++k) emit(kid);
    std::vector<uint32_t> skips;  // x{n,m}: n copies, then m-n optional ones
    for (int k = min; k < max; ++k) {
      skips.push_back(push(Op::Split, 0, here() + 1));
      emit(kid);
    }
    for (uint32_t s : skips) program_[s].y = here();
  }

  // One character: an ASCII (or stray) byte from `cls`, or a UTF-8 lead byte followed by its
  // continuation bytes. Exactly kAnyCharStates states.
  void emitAnyChar(uint32_t cls) {
    const uint32_t s = here();
    const uint32_t out = s + kAnyCharStates;
    push(Op::Split, 0, s + 1, s + 2);
    push(Op::Class, cls, out);
    push(Op::Split, 0, s + 3, s + 4);
    push(Op::Class, kLead2, s + 9);
    push(Op::Split, 0, s + 5, s + 6);
    push(Op::Class, kLead3, s + 8);
    push(Op::Class, kLead4, s + 7);
    push(Op::Class, kContinuation, s + 8);
    push(Op::Class, kContinuation, s + 9);
    push(Op::Class, kContinuation, out);
  }

  const std::vector<Node>& nodes_;
  const std::vector<uint64_t>& sizes_;
  std::vector<Inst> program_;
};

// A set of states with O(1) insert, lookup and clear (sparse set), in insertion order.
class StateSet {
 public:
  explicit StateSet(size_t n) : dense_(n), sparse_(n) {}
  bool contains(uint32_t s) const { return sparse_[s] < size_ && dense_[sparse_[s]] == s; }
  void insert(uint32_t s) {
    sparse_[s] = static_cast<uint32_t>(size_);
    dense_[size_++] = s;
  }
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  auto begin() const { return dense_.begin(); }
  auto end() const { return dense_.begin() + static_cast<std::ptrdiff_t>(size_); }

 private:
  std::vector<uint32_t> dense_;
  std::vector<uint32_t> sparse_;
  size_t size_ = 0;
};

bool holds(Assertion a, std::string_view text, size_t pos) {
  const bool atStart = pos == 0;
  const bool atEnd = pos == text.size();
  switch (a) {
    case Assertion::BeginText:
      return atStart;
    case Assertion::EndText:
      return atEnd;
    case Assertion::BeginLine:
      return atStart || text[pos - 1] == '\n';
    case Assertion::EndLine:
      return atEnd || text[pos] == '\n';
    case Assertion::WordBoundary:
    case Assertion::NotWord: {
      const bool before = !atStart && isWordByte(text[pos - 1]);
      const bool after = !atEnd && isWordByte(text[pos]);
      return (before != after) == (a == Assertion::WordBoundary);
    }
  }
  return false;
}

}  // namespace

base::Result<SafeRegex, std::string> SafeRegex::compile(std::string_view pattern) {
  if (pattern.size() > kMaxPatternBytes) {
    return base::fail("pattern longer than " + std::to_string(kMaxPatternBytes) + " bytes");
  }
  for (size_t i = 0; i < pattern.size();) {
    const size_t n = utf8Length(pattern, i);
    if (n == 0) return base::fail("invalid UTF-8" + at(i));
    i += n;
  }
  Parser parser(pattern);
  base::Result<uint32_t, std::string> root = parser.parse();
  if (!root.ok()) return base::fail(std::move(root).error());
  const std::vector<uint64_t> sizes = stateCounts(parser.nodes());
  if (sizes[*root] + 1 > kMaxStates) {  // + 1: the final Match
    return base::fail("pattern too large: more than " + std::to_string(kMaxStates) +
                      " states once repetitions are expanded");
  }
  std::vector<Inst> program = Emitter(parser.nodes(), sizes).finish(*root);
  return SafeRegex(std::move(program), parser.takeClasses());
}

// Pike VM: all threads advance together, one byte at a time; a state is live at most once per
// position, so the work is O(text length x states) whatever the pattern.
bool SafeRegex::fullMatch(std::string_view text) const {
  StateSet current(program_.size());
  StateSet next(program_.size());
  std::vector<uint32_t> stack;  // the epsilon closure's work list: no recursion
  auto addClosure = [&](StateSet& set, uint32_t start, size_t pos) {
    stack.push_back(start);
    while (!stack.empty()) {
      const uint32_t s = stack.back();
      stack.pop_back();
      if (set.contains(s)) continue;
      set.insert(s);
      const Inst& in = program_[s];
      if (in.op == Op::Split) {
        stack.push_back(in.y);
        stack.push_back(in.x);
      } else if (in.op == Op::Jump) {
        stack.push_back(in.x);
      } else if (in.op == Op::Assert && holds(static_cast<Assertion>(in.arg), text, pos)) {
        stack.push_back(in.x);
      }
    }
  };
  addClosure(current, 0, 0);
  for (size_t pos = 0; pos < text.size() && !current.empty(); ++pos) {
    const auto b = static_cast<unsigned char>(text[pos]);
    next.clear();
    for (uint32_t s : current) {
      const Inst& in = program_[s];
      const bool step = in.op == Op::Byte    ? in.arg == b
                        : in.op == Op::Class ? classes_[in.arg].test(b)
                                             : false;
      if (step) addClosure(next, in.x, pos + 1);
    }
    std::swap(current, next);
    if (current.empty()) return false;
  }
  return std::any_of(current.begin(), current.end(),
                     [&](uint32_t s) { return program_[s].op == Op::Match; });
}

}  // namespace tro::controllers::analysis
