package dev.starwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FrameRingTest {

    @Test
    void keepsAPowerOfTwoAboveTheEventLimitAndDropsTheOldestBeyondIt() {
        FrameRing ring = new FrameRing(new QueueLimits(20, 1L << 20));
        assertEquals(32, ring.maxSlots());
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] f = new byte[] {(byte) i};
            frames.add(f);
            assertEquals(i, ring.append(f, "id" + i)); // grows 16 -> 32 on the way
        }
        for (int i = 0; i < 8; i++) {
            assertNull(ring.frame(i), "overwritten: " + i);
            assertNull(ring.id(i));
        }
        for (int i = 8; i < 40; i++) {
            assertSame(frames.get(i), ring.frame(i), "kept: " + i);
            assertEquals("id" + i, ring.id(i));
        }
    }

    @Test
    void keepsAtLeastTheByteLimitOfNewestFramesAndAlwaysTheNewest() {
        FrameRing ring = new FrameRing(new QueueLimits(1000, 100));
        ring.append(new byte[50], "0");
        ring.append(new byte[50], "1");
        assertNotNull(ring.frame(0), "the two hold exactly the limit: both stay");
        ring.append(new byte[30], "2");
        assertNotNull(ring.frame(0), "without it, 1 and 2 hold 80 bytes: less than a subscriber may have waiting");
        ring.append(new byte[40], "3");
        assertNull(ring.frame(0), "1, 2 and 3 hold 120 bytes: 0 can go");
        assertNotNull(ring.frame(1), "2 and 3 hold 70 bytes: 1 stays");
        ring.append(new byte[500], "4");
        for (int i = 1; i < 4; i++) {
            assertNull(ring.frame(i));
        }
        assertEquals(500, ring.frame(4).length, "one frame beyond the limit is still kept");
    }

    @Test
    void aReaderOnAnotherThreadSeesEachFrameOrNothingWhileTheRingWrapsAndGrows() throws Exception {
        FrameRing ring = new FrameRing(new QueueLimits(100, 1L << 20));
        int total = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<String> wrong = new AtomicReference<>();
        AtomicLong published = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                return;
            }
            long appended = 0;
            while (appended < total && wrong.get() == null) {
                appended = published.get(); // only frames appended before may be asked for
                for (long seq = Math.max(0, appended - 200); seq < appended; seq++) {
                    byte[] f = ring.frame(seq);
                    if (f != null && f.length != (int) (seq % 7) + 1) {
                        wrong.set("frame " + seq + " read as another one of length " + f.length);
                    }
                }
            }
        });
        reader.start();
        start.countDown();
        for (int i = 0; i < total; i++) {
            ring.append(new byte[i % 7 + 1], Integer.toString(i));
            published.set(i + 1);
        }
        reader.join(60_000);
        assertNull(wrong.get());
    }
}
