package org.weir.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.capture.internal.BpfProgram.A;
import static org.weir.capture.internal.BpfProgram.ABS;
import static org.weir.capture.internal.BpfProgram.ALU;
import static org.weir.capture.internal.BpfProgram.B;
import static org.weir.capture.internal.BpfProgram.DIV;
import static org.weir.capture.internal.BpfProgram.H;
import static org.weir.capture.internal.BpfProgram.IMM;
import static org.weir.capture.internal.BpfProgram.IND;
import static org.weir.capture.internal.BpfProgram.JA;
import static org.weir.capture.internal.BpfProgram.JEQ;
import static org.weir.capture.internal.BpfProgram.JGT;
import static org.weir.capture.internal.BpfProgram.JMP;
import static org.weir.capture.internal.BpfProgram.K;
import static org.weir.capture.internal.BpfProgram.LD;
import static org.weir.capture.internal.BpfProgram.LDX;
import static org.weir.capture.internal.BpfProgram.LEN;
import static org.weir.capture.internal.BpfProgram.LSH;
import static org.weir.capture.internal.BpfProgram.MEM;
import static org.weir.capture.internal.BpfProgram.MISC;
import static org.weir.capture.internal.BpfProgram.MOD;
import static org.weir.capture.internal.BpfProgram.MSH;
import static org.weir.capture.internal.BpfProgram.NEG;
import static org.weir.capture.internal.BpfProgram.RET;
import static org.weir.capture.internal.BpfProgram.RSH;
import static org.weir.capture.internal.BpfProgram.ST;
import static org.weir.capture.internal.BpfProgram.SUB;
import static org.weir.capture.internal.BpfProgram.TAX;
import static org.weir.capture.internal.BpfProgram.W;
import static org.weir.capture.internal.BpfProgram.X;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What libpcap's compiler seldom or never emits, but the interpreter must still get right (libpcap's
 * {@code bpf_filter} semantics) or refuse: hand-assembled programs.
 */
class BpfProgramTest {

    private static final byte[] FRAME = { 0x12, 0x34, 0x56, 0x78, (byte) 0x9a, (byte) 0xbc, 0x45, 0x00 };

    @Test
    void loadsPastTheCapturedBytesRejectTheFrame() {
        // A = frame[k:4]; return 1 — with 8 bytes captured, k = 4 is the last word that fits.
        for (int k = 0; k <= 8; k++) {
            BpfProgram p = program(op(LD | W | ABS, k), op(RET | K, 1));
            assertEquals(k <= 4 ? 1 : 0, p.run(FRAME, 0, FRAME.length, 100), "word at " + k);
            BpfProgram half = program(op(LD | H | ABS, k), op(RET | K, 1));
            assertEquals(k <= 6 ? 1 : 0, half.run(FRAME, 0, FRAME.length, 100), "half word at " + k);
            BpfProgram bytes = program(op(LD | B | ABS, k), op(RET | K, 1));
            assertEquals(k <= 7 ? 1 : 0, bytes.run(FRAME, 0, FRAME.length, 100), "byte at " + k);
        }
        // An offset near 2^32 must not wrap around into the frame.
        assertEquals(0, program(op(LD | W | ABS, -2), op(RET | K, 1)).run(FRAME, 0, FRAME.length, 100));
        assertEquals(0, program(op(LDX | IMM, -1), op(LD | B | IND, 2), op(RET | K, 1))
                .run(FRAME, 0, FRAME.length, 100));
    }

    @Test
    void loadsReadBigEndianFromTheFramesOffsetInItsBuffer() {
        byte[] buffer = new byte[20];
        System.arraycopy(FRAME, 0, buffer, 10, FRAME.length);
        assertEquals(0x3456789a, program(op(LD | W | ABS, 1), op(RET | A, 0)).run(buffer, 10, FRAME.length, 8));
        assertEquals(0x9abc, program(op(LD | H | ABS, 4), op(RET | A, 0)).run(buffer, 10, FRAME.length, 8));
        // X = 4 * the low nibble of byte 0 (an IPv4 header length); A = the byte at X + 1
        byte[] ip = { 0x41, 0, 0, 0, 0, 0x77, 0, 0 };
        assertEquals(0x77, program(op(LDX | B | MSH, 0), op(LD | B | IND, 1), op(RET | A, 0)).run(ip, 0, 8, 8));
        // X = 20 from byte 6 (0x45): X + k lies past the frame, and a k near 2^32 does not wrap back into it
        assertEquals(0, program(op(LDX | B | MSH, 6), op(LD | B | IND, -18), op(RET | K, 1))
                .run(buffer, 10, FRAME.length, 8));
        assertEquals(1500, program(op(LD | W | LEN, 0), op(RET | A, 0)).run(buffer, 10, FRAME.length, 1500));
    }

    @Test
    void arithmeticIsUnsigned32BitAndDivisionByZeroRejects() {
        // A = 0xfffffff0 / X
        assertEquals(Integer.divideUnsigned(0xfffffff0, 3), program(op(LD | IMM, 0xfffffff0), op(LDX | IMM, 3),
                op(ALU | DIV | X, 0), op(RET | A, 0)).run(FRAME, 0, 8, 8));
        assertEquals(0, program(op(LD | IMM, 7), op(LDX | IMM, 0), op(ALU | DIV | X, 0), op(RET | K, 1))
                .run(FRAME, 0, 8, 8), "division by X = 0 rejects");
        assertEquals(0, program(op(LD | IMM, 7), op(LDX | IMM, 0), op(ALU | MOD | X, 0), op(RET | K, 1))
                .run(FRAME, 0, 8, 8), "remainder by X = 0 rejects");
        assertEquals(Integer.remainderUnsigned(-7, 10), program(op(LD | IMM, -7), op(ALU | MOD | K, 10),
                op(RET | A, 0)).run(FRAME, 0, 8, 8));
        assertEquals(0, program(op(LD | IMM, 1), op(LDX | IMM, 32), op(ALU | LSH | X, 0), op(RET | A, 0))
                .run(FRAME, 0, 8, 8), "shifting by 32 or more gives 0");
        assertEquals(0x0fffffff, program(op(LD | IMM, -1), op(ALU | RSH | K, 4), op(RET | A, 0))
                .run(FRAME, 0, 8, 8), "right shifts are logical");
        assertEquals(-5, program(op(LD | IMM, 5), op(ALU | NEG, 0), op(RET | A, 0)).run(FRAME, 0, 8, 8));
        assertEquals(-1, program(op(LD | IMM, 2), op(ALU | SUB | K, 3), op(RET | A, 0)).run(FRAME, 0, 8, 8));
    }

    @Test
    void jumpsCompareUnsignedAndScratchMemoryStartsClearedForEveryFrame() {
        // A = 0x80000000 > 1 unsigned (signed it would be negative)
        BpfProgram gt = program(op(LD | IMM, 0x80000000), jump(JMP | JGT | K, 1, 0, 1), op(RET | K, 0),
                op(RET | K, 1));
        assertEquals(1, gt.run(FRAME, 0, 8, 8));
        // mem[3] = A after reading mem[3] (0 on every run) + 1: each run returns 1.
        BpfProgram memory = program(op(LD | MEM, 3), op(ALU | 0x00 | K, 1), op(ST, 3), op(RET | A, 0));
        assertEquals(1, memory.run(FRAME, 0, 8, 8));
        assertEquals(1, memory.run(FRAME, 0, 8, 8));
        BpfProgram always = program(op(JMP | JA, 1), op(RET | K, 0), op(LD | IMM, 9), op(MISC | TAX, 0),
                jump(JMP | JEQ | X, 1, 0, 0), op(RET | K, 0), op(RET | K, 2));
        assertEquals(2, always.run(FRAME, 0, 8, 8));
    }

    @Test
    void programsTheInterpreterCouldNotRunSafelyAreRefused() {
        assertRefused("jump out", op(JMP | JA, 1), op(RET | K, 0));
        assertRefused("jump out", jump(JMP | JEQ | K, 0, 2, 0), op(RET | K, 0));
        assertRefused("scratch memory", op(LD | MEM, 16), op(RET | K, 0));
        assertRefused("scratch memory", op(ST, -1), op(RET | K, 0));
        assertRefused("division by the constant 0", op(ALU | DIV | K, 0), op(RET | K, 0));
        assertRefused("shift by 32", op(ALU | LSH | K, 32), op(RET | K, 0));
        assertRefused("unknown", op(0xff, 0), op(RET | K, 0));
        assertRefused("unknown", op(LD | W | MEM + 0x100, 0), op(RET | K, 0));
        assertRefused("does not return", op(LD | IMM, 1));
        assertThrows(IllegalArgumentException.class, () -> new BpfProgram(new int[0], new int[0], new int[0],
                new int[0]));
    }

    private static void assertRefused(String problem, int[]... insns) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program(insns));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static int[] op(int code, int k) {
        return new int[] { code, 0, 0, k };
    }

    private static int[] jump(int code, int jt, int jf, int k) {
        return new int[] { code, jt, jf, k };
    }

    private static BpfProgram program(int[]... insns) {
        List<int[]> all = new ArrayList<>(List.of(insns));
        int n = all.size();
        int[] code = new int[n], jt = new int[n], jf = new int[n], k = new int[n];
        for (int i = 0; i < n; i++) {
            code[i] = all.get(i)[0];
            jt[i] = all.get(i)[1];
            jf[i] = all.get(i)[2];
            k[i] = all.get(i)[3];
        }
        return new BpfProgram(code, jt, jf, k);
    }
}
