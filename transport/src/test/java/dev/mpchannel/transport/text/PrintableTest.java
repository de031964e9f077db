package dev.mpchannel.transport.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void anOrdinaryNameIsItselfWithoutACopy() {
        String name = "demo.echo";
        assertSame(name, Printable.escape(name));
        assertEquals("null", Printable.escape(null));
        assertEquals("", Printable.escape(""));
    }

    @Test
    void lineBreaksAndTabsAreEscapedSoNoLineCanBeForged() {
        assertEquals("a\\nb", Printable.escape("a\nb"));
        assertEquals("a\\r\\nb", Printable.escape("a\r\nb"));
        assertEquals("a\\tb", Printable.escape("a\tb"));
        assertEquals("row\\n1   secondary  42", Printable.escape("row\n1   secondary  42"));
    }

    @Test
    void escapeSequencesLoseTheirEscape() {
        assertEquals("\\x1B[31mred\\x1B[0m", Printable.escape("\u001b[31mred\u001b[0m"));
        assertEquals("\\x1B]0;title\\x07", Printable.escape("\u001b]0;title\u0007")); // OSC: sets the window title
        assertEquals("\\x00\\x08\\x7F", Printable.escape("\u0000\b\u007f"));
        assertEquals("\\x9B31m\\x85", Printable.escape("\u009b31m\u0085")); // C1: CSI and NEL
    }

    @Test
    void bidiControlsAndLineSeparatorsAreEscaped() {
        assertEquals("admin\\u{202E}gpj.exe", Printable.escape("admin\u202egpj.exe"));
        assertEquals("\\u{202A}\\u{202B}\\u{202C}\\u{202D}", Printable.escape("\u202a\u202b\u202c\u202d"));
        assertEquals("\\u{2066}\\u{2067}\\u{2068}\\u{2069}", Printable.escape("\u2066\u2067\u2068\u2069"));
        assertEquals("\\u{200E}\\u{200F}\\u{061C}", Printable.escape("\u200e\u200f\u061c"));
        assertEquals("a\\u{2028}b\\u{2029}", Printable.escape("a\u2028b\u2029"));
    }

    @Test
    void lettersOfEveryScriptAreKept() {
        for (String text : new String[] {"café", "漢字.アクション", "שלום", "привет", "emoji \uD83D\uDE00", "Ωmega€"}) {
            assertSame(text, Printable.escape(text), text);
        }
        assertEquals("é\\n漢", Printable.escape("é\n漢"));
        assertEquals("\uD83D\uDE00\\t", Printable.escape("\uD83D\uDE00\t")); // a pair after the first escape, too
    }

    @Test
    void loneSurrogatesAreEscaped() {
        assertEquals("a\\u{D83D}b", Printable.escape("a\uD83Db"));
        assertEquals("\\u{DE00}", Printable.escape("\uDE00"));
    }

    @Test
    void theBackslashIsEscapedSoTheOutputReadsBackOneWayOnly() {
        assertEquals("a\\\\b", Printable.escape("a\\b"));
        // the text "\n" (two characters) and a newline print differently
        assertEquals("\\\\n", Printable.escape("\\n"));
        assertNotEquals(Printable.escape("\\n"), Printable.escape("\n"));
        assertNotEquals(Printable.escape("\\x1B"), Printable.escape("\u001b"));
    }
}
