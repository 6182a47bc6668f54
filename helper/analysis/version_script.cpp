#include "version_script.hpp"

#include <algorithm>
#include <set>

#include "error.hpp"
#include "text_input.hpp"
#include "version_script_template.hpp"

namespace osv {
namespace {

struct Token {
    enum Kind { word, quoted, punct, end } kind;
    std::string text;
    std::size_t line, column;
};

class Lexer {
public:
    Lexer(std::string_view text, const std::filesystem::path& origin) : text_(text), origin_(origin) {}

    Token next() {
        skip_blanks_and_comments();
        if (pos_ >= text_.size()) return {Token::end, "", line_, column()};
        const std::size_t line = line_, col = column();
        const char c = text_[pos_];
        if (c == '{' || c == '}' || c == ';' || c == ':') {
            ++pos_;
            return {Token::punct, std::string(1, c), line, col};
        }
        if (c == '"') {
            const auto close = text_.find('"', pos_ + 1);
            if (close == std::string_view::npos || text_.substr(pos_, close - pos_).find('\n') != std::string_view::npos)
                fail(line, col, "unterminated quoted name");
            std::string name(text_.substr(pos_ + 1, close - pos_ - 1));
            if (!is_writable_symbol_name(name))
                fail(line, col, "the quoted name \"" + printable_name(name) +
                                    "\" has a backslash or control character; ld reads no escapes in version scripts");
            pos_ = close + 1;
            return {Token::quoted, name, line, col};
        }
        const std::size_t start = pos_;
        while (pos_ < text_.size() && !is_separator(text_[pos_])) ++pos_;
        return {Token::word, std::string(text_.substr(start, pos_ - start)), line, col};
    }

    [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& what) const {
        throw InputError(position_message(origin_, line, column, what));
    }

private:
    static bool is_separator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' || c == ';' || c == ':' ||
               c == '"' || c == '#' || c == '\0';
    }
    std::size_t column() const { return pos_ - line_start_ + 1; }
    void advance() {
        if (text_[pos_] == '\n') {
            ++line_;
            line_start_ = pos_ + 1;
        }
        ++pos_;
    }
    void skip_blanks_and_comments() {
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                advance();
            } else if (c == '#') {
                while (pos_ < text_.size() && text_[pos_] != '\n') advance();
            } else if (text_.substr(pos_).starts_with("/*")) {
                const std::size_t line = line_, col = column();
                const auto close = text_.find("*/", pos_ + 2);
                if (close == std::string_view::npos) fail(line, col, "unterminated /* comment");
                while (pos_ < close + 2) advance();
            } else if (c == '\0') {
                fail(line_, column(), "binary data in a version script");
            } else {
                return;
            }
        }
    }

    std::string_view text_;
    const std::filesystem::path& origin_;
    std::size_t pos_ = 0, line_ = 1, line_start_ = 0;
};

}  // namespace

bool looks_like_version_script(std::string_view text) {
    bool in_comment = false, in_line_comment = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (in_line_comment) {
            in_line_comment = text[i] != '\n';
        } else if (in_comment) {
            if (text.substr(i).starts_with("*/")) in_comment = false, ++i;
        } else if (text[i] == '#') {
            in_line_comment = true;
        } else if (text.substr(i).starts_with("/*")) {
            in_comment = true, ++i;
        } else if (text[i] == '{') {
            return true;
        }
    }
    return false;
}

std::vector<std::string> parse_version_script_globals(std::string_view text, const std::filesystem::path& origin) {
    Lexer lexer(text, origin);
    std::set<std::string> globals;
    Token token = lexer.next();
    auto expect = [&](const char* punct, const char* context) {
        if (token.kind != Token::punct || token.text != punct)
            lexer.fail(token.line, token.column,
                       std::string("expected '") + punct + "' " + context + ", found " +
                           (token.kind == Token::end ? std::string("end of file") : "'" + token.text + "'"));
        token = lexer.next();
    };
    bool any_node = false;
    while (token.kind != Token::end) {
        if (token.kind == Token::word) token = lexer.next();  // a version tag: VERS_1.0 { ... }
        expect("{", "to open a version node");
        any_node = true;
        bool in_global = true;  // names before any "global:"/"local:" are global, as in ld
        while (!(token.kind == Token::punct && token.text == "}")) {
            if (token.kind == Token::end) lexer.fail(token.line, token.column, "missing '}' at end of file");
            if (token.kind == Token::word && (token.text == "global" || token.text == "local")) {
                const bool global = token.text == "global";
                const Token keyword = token;
                token = lexer.next();
                if (token.kind == Token::punct && token.text == ":") {
                    in_global = global;
                    token = lexer.next();
                    continue;
                }
                // Not a section keyword after all: a symbol literally named global/local.
                if (in_global) globals.insert(keyword.text);
                expect(";", "after a name");
                continue;
            }
            if (token.kind == Token::word && token.text == "extern")
                lexer.fail(token.line, token.column,
                           "extern \"C++\" blocks are not supported; list the mangled names instead");
            if (token.kind == Token::punct)
                lexer.fail(token.line, token.column, "expected a symbol name, found '" + token.text + "'");
            const Token name = token;
            token = lexer.next();
            expect(";", "after a name");
            if (!in_global) continue;
            if (name.kind == Token::word && is_glob_pattern(name.text))
                lexer.fail(name.line, name.column,
                           "wildcard '" + name.text + "' under global: names no symbol; list the names");
            if (without_symbol_version(name.text).empty())
                lexer.fail(name.line, name.column, "'" + printable_name(name.text) + "' has a version but no symbol name");
            globals.insert(std::string(without_symbol_version(name.text)));
        }
        token = lexer.next();  // past '}'
        while (token.kind == Token::word) token = lexer.next();  // dependencies: } VERS_1.0;
        expect(";", "after '}'");
    }
    if (!any_node) lexer.fail(1, 1, "no version node ('{ global: ...; local: *; };') found");
    return {globals.begin(), globals.end()};
}

std::string render_version_script(const std::vector<std::string>& names) {
    std::string symbols;
    // Names of unusual characters (possible in ELF, not in C) are quoted, as ld allows.
    // The sources refuse such names with their file named; this guards the output itself.
    for (const auto& name : names)
        if (!is_writable_symbol_name(name)) throw InputError(unwritable_name_message("the version script", name));
    for (const auto& name : names) symbols += "    " + (is_plain_symbol_name(name) ? name : '"' + name + '"') + ";\n";
    std::string text(version_script_template);
    const std::string_view placeholder = "@SYMBOLS@\n";
    const auto at = text.find(placeholder);
    text.replace(at, placeholder.size(), symbols);
    return text;
}

}  // namespace osv
