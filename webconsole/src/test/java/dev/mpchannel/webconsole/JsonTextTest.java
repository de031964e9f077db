package dev.mpchannel.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void writesNestedValuesWithCommas() {
        String json = new JsonText().beginObject().member("a", 1).member("b", true).name("c").beginArray()
                .value("x").beginObject().member("d", "e").endObject().endArray().name("f").values(List.of("g", "h"))
                .member("n", (String) null).endObject().toString();
        assertEquals("{\"a\":1,\"b\":true,\"c\":[\"x\",{\"d\":\"e\"}],\"f\":[\"g\",\"h\"],\"n\":null}", json);
    }

    @Test
    void escapesWhatCouldEndAStringOrATagOrALine() {
        String json = new JsonText().value("\"\\</script><b a='1'>&\n\r\t\u0000\u001B\u007F\u2028\u2029é漢").toString();
        assertEquals("\"\\\"\\\\\\u003c/script\\u003e\\u003cb a=\\u00271\\u0027\\u003e\\u0026\\n\\r\\t\\u0000\\u001b"
                + "\\u007f\\u2028\\u2029é漢\"", json);
    }
}
