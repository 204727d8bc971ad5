package org.weir.capture.internal;

import java.util.Arrays;

import org.weir.core.CaptureFilter;
import org.weir.core.PacketView;

/**
 * A classic BPF program, checked once and then run over frames by an interpreter with libpcap's semantics
 * ({@code bpf_filter}): loads past the captured bytes and division by zero reject the frame, shifts by 32 or more
 * give 0, all arithmetic is unsigned 32-bit. The programs come from libpcap's compiler; the check still refuses
 * anything the interpreter could not run safely (unknown instructions, jumps out of the program, scratch memory out
 * of range, a last instruction that does not return).
 *
 * <p>Not thread-safe (one scratch memory per program): one program per pipeline thread.
 */
public final class BpfProgram implements CaptureFilter {

    // Instruction classes, sizes, modes and operations as in <pcap/bpf.h>.
    static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
    static final int W = 0x00, H = 0x08, B = 0x10;
    static final int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
    static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70,
            NEG = 0x80, MOD = 0x90, XOR = 0xa0;
    static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    static final int K = 0x00, X = 0x08, A = 0x10;
    static final int TAX = 0x00, TXA = 0x80;

    /** Scratch memory words (BPF_MEMWORDS). */
    static final int MEMORY_WORDS = 16;

    /** code, jt, jf, k of each instruction, four ints apart. */
    private final int[] insns;
    private final int[] memory = new int[MEMORY_WORDS];
    private final boolean usesMemory;

    /**
     * The program from its instructions' fields, one array each, as libpcap's {@code struct bpf_insn} holds them.
     *
     * @throws IllegalArgumentException when the program could not be run safely
     */
    public BpfProgram(int[] code, int[] jt, int[] jf, int[] k) {
        int n = code.length;
        if (n == 0 || jt.length != n || jf.length != n || k.length != n) {
            throw new IllegalArgumentException("a BPF program needs at least one instruction, each with four fields");
        }
        insns = new int[n * 4];
        boolean memory = false;
        for (int pc = 0; pc < n; pc++) {
            check(pc, n, code[pc], jt[pc], jf[pc], k[pc]);
            int c = code[pc];
            memory |= (c & 0x07) == ST || (c & 0x07) == STX;
            insns[pc * 4] = c;
            insns[pc * 4 + 1] = jt[pc];
            insns[pc * 4 + 2] = jf[pc];
            insns[pc * 4 + 3] = k[pc];
        }
        if ((code[n - 1] & 0x07) != RET) {
            throw new IllegalArgumentException("the last BPF instruction does not return");
        }
        this.usesMemory = memory;
    }

    /** Number of instructions. */
    public int length() {
        return insns.length / 4;
    }

    private static void check(int pc, int n, int code, int jt, int jf, int k) {
        String problem = switch (code & 0x07) {
            case LD -> switch (code & ~0x07) {
                case W | ABS, H | ABS, B | ABS, W | IND, H | IND, B | IND, W | LEN, IMM -> null;
                case MEM -> memoryIndex(k);
                default -> "unknown load";
            };
            case LDX -> switch (code & ~0x07) {
                case W | IMM, W | LEN, B | MSH -> null;
                case W | MEM -> memoryIndex(k);
                default -> "unknown load";
            };
            case ST, STX -> code == ST || code == STX ? memoryIndex(k) : "unknown store";
            case ALU -> switch (code & 0xf0) {
                case ADD, SUB, MUL, OR, AND, XOR -> (code & ~0xf8) == ALU ? null : "unknown operation";
                case DIV, MOD -> (code & ~0xf8) != ALU ? "unknown operation"
                        : (code & X) == K && k == 0 ? "division by the constant 0" : null;
                case LSH, RSH -> (code & ~0xf8) != ALU ? "unknown operation"
                        : (code & X) == K && Integer.compareUnsigned(k, 32) >= 0 ? "shift by 32 or more" : null;
                case NEG -> code == (ALU | NEG) ? null : "unknown operation";
                default -> "unknown operation";
            };
            case JMP -> switch (code & 0xf0) {
                case JA -> code != (JMP | JA) ? "unknown jump"
                        : Integer.toUnsignedLong(k) >= n - pc - 1 ? "jump out of the program" : null;
                case JEQ, JGT, JGE, JSET -> (code & ~0xf8) != JMP ? "unknown jump"
                        : pc + 1 + Math.max(jt, jf) >= n || jt < 0 || jf < 0 ? "jump out of the program" : null;
                default -> "unknown jump";
            };
            case RET -> code == (RET | K) || code == (RET | A) ? null : "unknown return";
            default -> code == (MISC | TAX) || code == (MISC | TXA) ? null : "unknown instruction";
        };
        if (problem != null) {
            throw new IllegalArgumentException(String.format("BPF instruction %d (code 0x%02x, k %d): %s", pc, code,
                    Integer.toUnsignedLong(k), problem));
        }
    }

    private static String memoryIndex(int k) {
        return Integer.compareUnsigned(k, MEMORY_WORDS) < 0 ? null : "scratch memory index out of range";
    }

    @Override
    public boolean accepts(PacketView frame) {
        return run(frame.data, frame.frameOffset, frame.capturedLength, frame.wireLength) != 0;
    }

    /**
     * Runs the program over a frame.
     *
     * @return what the program returns: 0 rejects, anything else is the number of bytes to keep
     */
    public int run(byte[] data, int offset, int capturedLength, int wireLength) {
        int[] insns = this.insns;
        int[] mem = memory;
        if (usesMemory) {
            Arrays.fill(mem, 0);
        }
        long buflen = capturedLength;
        int a = 0, x = 0;
        for (int pc = 0;; pc += 4) {
            int k = insns[pc + 3];
            long uk = Integer.toUnsignedLong(k);
            switch (insns[pc]) {
                case RET | K:
                    return k;
                case RET | A:
                    return a;
                case LD | W | ABS:
                    if (uk + 4 > buflen) {
                        return 0;
                    }
                    a = int32(data, offset + k);
                    break;
                case LD | H | ABS:
                    if (uk + 2 > buflen) {
                        return 0;
                    }
                    a = int16(data, offset + k);
                    break;
                case LD | B | ABS:
                    if (uk >= buflen) {
                        return 0;
                    }
                    a = data[offset + k] & 0xff;
                    break;
                case LD | W | LEN:
                    a = wireLength;
                    break;
                case LDX | W | LEN:
                    x = wireLength;
                    break;
                case LD | W | IND: {
                    long at = Integer.toUnsignedLong(x) + uk;
                    if (at + 4 > buflen) {
                        return 0;
                    }
                    a = int32(data, offset + (int) at);
                    break;
                }
                case LD | H | IND: {
                    long at = Integer.toUnsignedLong(x) + uk;
                    if (at + 2 > buflen) {
                        return 0;
                    }
                    a = int16(data, offset + (int) at);
                    break;
                }
                case LD | B | IND: {
                    long at = Integer.toUnsignedLong(x) + uk;
                    if (at >= buflen) {
                        return 0;
                    }
                    a = data[offset + (int) at] & 0xff;
                    break;
                }
                case LDX | B | MSH:
                    if (uk >= buflen) {
                        return 0;
                    }
                    x = (data[offset + k] & 0x0f) << 2;
                    break;
                case LD | IMM:
                    a = k;
                    break;
                case LDX | IMM:
                    x = k;
                    break;
                case LD | MEM:
                    a = mem[k];
                    break;
                case LDX | MEM:
                    x = mem[k];
                    break;
                case ST:
                    mem[k] = a;
                    break;
                case STX:
                    mem[k] = x;
                    break;
                case JMP | JA:
                    pc += k * 4;
                    break;
                case JMP | JGT | K:
                    pc += 4 * (Integer.compareUnsigned(a, k) > 0 ? insns[pc + 1] : insns[pc + 2]);
                    break;
                case JMP | JGE | K:
                    pc += 4 * (Integer.compareUnsigned(a, k) >= 0 ? insns[pc + 1] : insns[pc + 2]);
                    break;
                case JMP | JEQ | K:
                    pc += 4 * (a == k ? insns[pc + 1] : insns[pc + 2]);
                    break;
                case JMP | JSET | K:
                    pc += 4 * ((a & k) != 0 ? insns[pc + 1] : insns[pc + 2]);
                    break;
                case JMP | JGT | X:
                    pc += 4 * (Integer.compareUnsigned(a, x) > 0 ? insns[pc + 1] : insns[pc + 2]);
                    break;
                case JMP | JGE | X:
                    pc += 4 * (Integer.compareUnsigned(a, x) >= 0 ? insns[pc + 1] : insns[pc + 2]);
                    break;
                case JMP | JEQ | X:
                    pc += 4 * (a == x ? insns[pc + 1] : insns[pc + 2]);
                    break;
                case JMP | JSET | X:
                    pc += 4 * ((a & x) != 0 ? insns[pc + 1] : insns[pc + 2]);
                    break;
                case ALU | ADD | X:
                    a += x;
                    break;
                case ALU | SUB | X:
                    a -= x;
                    break;
                case ALU | MUL | X:
                    a *= x;
                    break;
                case ALU | DIV | X:
                    if (x == 0) {
                        return 0;
                    }
                    a = Integer.divideUnsigned(a, x);
                    break;
                case ALU | MOD | X:
                    if (x == 0) {
                        return 0;
                    }
                    a = Integer.remainderUnsigned(a, x);
                    break;
                case ALU | AND | X:
                    a &= x;
                    break;
                case ALU | OR | X:
                    a |= x;
                    break;
                case ALU | XOR | X:
                    a ^= x;
                    break;
                case ALU | LSH | X:
                    a = Integer.compareUnsigned(x, 32) < 0 ? a << x : 0;
                    break;
                case ALU | RSH | X:
                    a = Integer.compareUnsigned(x, 32) < 0 ? a >>> x : 0;
                    break;
                case ALU | ADD | K:
                    a += k;
                    break;
                case ALU | SUB | K:
                    a -= k;
                    break;
                case ALU | MUL | K:
                    a *= k;
                    break;
                case ALU | DIV | K:
                    a = Integer.divideUnsigned(a, k);
                    break;
                case ALU | MOD | K:
                    a = Integer.remainderUnsigned(a, k);
                    break;
                case ALU | AND | K:
                    a &= k;
                    break;
                case ALU | OR | K:
                    a |= k;
                    break;
                case ALU | XOR | K:
                    a ^= k;
                    break;
                case ALU | LSH | K:
                    a <<= k;
                    break;
                case ALU | RSH | K:
                    a >>>= k;
                    break;
                case ALU | NEG:
                    a = -a;
                    break;
                case MISC | TAX:
                    x = a;
                    break;
                case MISC | TXA:
                    a = x;
                    break;
                default:
                    // Refused by the constructor's check.
                    throw new IllegalStateException("unchecked BPF instruction " + insns[pc]);
            }
        }
    }

    private static int int32(byte[] d, int i) {
        return (d[i] & 0xff) << 24 | (d[i + 1] & 0xff) << 16 | (d[i + 2] & 0xff) << 8 | (d[i + 3] & 0xff);
    }

    private static int int16(byte[] d, int i) {
        return (d[i] & 0xff) << 8 | (d[i + 1] & 0xff);
    }
}
