package dev.mpchannel.rings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenRequestTest {
    @Test
    void anOpenRequestRoundTrips() {
        OpenRequest request = new OpenRequest("packets", -42, 4096, 0);
        byte[] params = request.encode().getBytes(StandardCharsets.UTF_8);
        assertEquals("open", OpenRequest.verb(params));
        assertEquals(request, OpenRequest.decode(params));
        assertEquals(2, request.descriptors());
    }

    @Test
    void whatAPeerMaySendWrongIsRefusedWithAReasonThatDoesNotEchoIt() {
        assertRefused("open\nversion=2\nname=a\nid=1\nforward=4096\nbackward=0\n", "version '2'");
        assertRefused("open\nversion=1\nname=a\nid=1\nforward=4095\nbackward=0\n", "power of two");
        assertRefused("open\nversion=1\nname=a\nid=1\nforward=0\nbackward=0\n", "at least one ring");
        assertRefused("open\nversion=1\nname=../x\nid=1\nforward=4096\nbackward=0\n", "letters, digits");
        assertRefused("open\nversion=1\nname=a\nid=x\nforward=4096\nbackward=0\n", "not a number");
        assertRefused("open\nversion=\u001b[31m\n", "\\u001b");
        assertRefused("open\n" + "x".repeat(600), "at most 512");
    }

    private static void assertRefused(String params, String why) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> OpenRequest.decode(params.getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
    }
}
