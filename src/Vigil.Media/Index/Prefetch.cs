using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Vigil.Media;

/// <summary>
/// Software prefetch hints. A prefetch has no effect on program state (it cannot fault, and an
/// address made stale by the garbage collector moving an array only wastes the hint), so taking
/// the address of an unpinned element here is safe.
/// </summary>
internal static class Prefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T element)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref element));
        }
    }
}
