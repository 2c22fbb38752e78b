using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vigil.Media;

/// <summary>
/// The reference's blur-and-decimate (two Jarosz passes, then 64x64 sampling), streamed through
/// small buffers and computing only what the 64x64 output needs, bit-identical to the reference:
/// <list type="number">
/// <item>Row pass 1: 8 rows at a time, transposed so that a 256-bit vector holds one column of 8 rows.</item>
/// <item>Column pass 1: running column sums over a ring of the last rows, vectorised across columns.</item>
/// <item>Row pass 2: again 8 rows at a time; only the 64 sampled columns are divided and kept.</item>
/// <item>Column pass 2: on the rows x 64 result; only the 64 sampled rows are kept.</item>
/// </list>
/// Needs AVX2. The working set is about (window + 40) rows of floats, not the whole image.
/// </summary>
internal sealed class StripDownsampler
{
    private const int Lanes = 8;
    private const int Size64 = PdqTransform.Size64;

    private readonly int[] _sampleColumns = new int[Size64];
    private readonly int[] _sampleRows = new int[Size64];
    private float[] _strip = [];
    private float[] _stripOut = [];
    private float[] _scratch = [];
    private float[] _ring = [];
    private float[] _columnSums = [];
    private float[] _block = [];
    private float[] _sampled = [];

    private int _width;
    private int _height;
    private int _rowWindow;
    private int _columnWindow;
    private int _columnHalf;
    private int _ringRows;

    public void Downsample<TSource>(scoped in TSource source, Span<float> output64x64)
        where TSource : ILumaSource, allows ref struct
    {
        Prepare(source.Width, source.Height);
        int width = _width, height = _height;
        var strip = _strip.AsSpan(0, Lanes * width);
        var stripOut = _stripOut.AsSpan(0, Lanes * width);
        var scratch = _scratch.AsSpan(0, Lanes * width);

        for (var row0 = 0; row0 < height; row0 += Lanes)
        {
            var rows = Math.Min(Lanes, height - row0);
            if (rows == Lanes)
            {
                source.FillStrip(row0, strip, scratch);
            }
            else
            {
                scratch.Clear();
                for (var k = 0; k < rows; k++)
                {
                    source.FillRow(row0 + k, scratch.Slice(k * width, width));
                }

                StripTranspose.RowsToStrip(scratch, width, strip);
            }

            // Row pass 1 into the ring of rows (8 contiguous slots: ring size is a multiple of 8).
            var rowLanes = new StoreLanes(strip, stripOut);
            BoxFilter.Run(ref rowLanes, width, _rowWindow);
            var slot = _ring.AsSpan(row0 % _ringRows * width, Lanes * width);
            if (rows == Lanes)
            {
                StripTranspose.StripToRows(stripOut, width, slot, width);
            }
            else
            {
                StripTranspose.StripToRows(stripOut, width, scratch, width);
                scratch[..(rows * width)].CopyTo(slot);
            }

            for (var t = row0; t < row0 + rows; t++)
            {
                PushRow(t);
            }
        }

        DrainColumns();

        // Column pass 2 on the rows x 64 samples, kept only at the 64 sampled rows.
        for (var group = 0; group < Size64; group += Lanes)
        {
            var lanes = new SampledColumnLanes(_sampled.AsSpan(0, height * Size64), group, _sampleRows, output64x64);
            BoxFilter.Run(ref lanes, height, _columnWindow);
        }
    }

    private void Prepare(int width, int height)
    {
        _width = width;
        _height = height;
        _rowWindow = PdqTransform.JaroszWindowSize(width);
        _columnWindow = PdqTransform.JaroszWindowSize(height);
        _columnHalf = (_columnWindow + 2) / 2;

        // Row t - window is still needed when rows t..t+7 are written.
        _ringRows = (_columnWindow + Lanes + Lanes - 1) / Lanes * Lanes;

        for (var i = 0; i < Size64; i++)
        {
            _sampleColumns[i] = PdqTransform.DecimationIndex(i, width);
            _sampleRows[i] = PdqTransform.DecimationIndex(i, height);
        }

        Ensure(ref _strip, Lanes * width);
        Ensure(ref _stripOut, Lanes * width);
        Ensure(ref _scratch, Lanes * width);
        Ensure(ref _block, Lanes * width);
        Ensure(ref _ring, _ringRows * width);
        Ensure(ref _columnSums, width);
        Ensure(ref _sampled, height * Size64);
        _columnSums.AsSpan(0, width).Clear();
    }

    private static void Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }
    }

    private Span<float> RingRow(int row) => _ring.AsSpan(row % _ringRows * _width, _width);

    /// <summary>Column pass 1, one input row at a time (phases 1-3 of the box filter).</summary>
    private void PushRow(int t)
    {
        var sums = _columnSums.AsSpan(0, _width);
        var output = t - _columnHalf + 1;
        var target = output >= 0 ? _block.AsSpan((output & (Lanes - 1)) * _width, _width) : default;
        if (t < _columnWindow)
        {
            ColumnStep(sums, RingRow(t), default, target, t + 1);
        }
        else
        {
            ColumnStep(sums, RingRow(t), RingRow(t - _columnWindow), target, _columnWindow);
        }

        if (output >= 0)
        {
            RowEmitted(output);
        }
    }

    /// <summary>Column pass 1, phase 4: the window shrinks over the last rows.</summary>
    private void DrainColumns()
    {
        var sums = _columnSums.AsSpan(0, _width);
        for (var k = 0; k < _columnHalf - 1; k++)
        {
            var output = _height - _columnHalf + 1 + k;
            var target = _block.AsSpan((output & (Lanes - 1)) * _width, _width);
            ColumnStep(sums, default, RingRow(_height - _columnWindow + k), target, _columnWindow - 1 - k);
            RowEmitted(output);
        }
    }

    /// <summary>sums += add; sums -= subtract; output = sums / count (each part optional), per column.</summary>
    private static void ColumnStep(Span<float> sums, ReadOnlySpan<float> add, ReadOnlySpan<float> subtract, Span<float> output, int count)
    {
        bool hasAdd = !add.IsEmpty, hasSubtract = !subtract.IsEmpty, hasOutput = !output.IsEmpty;
        var width = sums.Length;
        ref var s = ref MemoryMarshal.GetReference(sums);
        ref var a = ref MemoryMarshal.GetReference(add);
        ref var b = ref MemoryMarshal.GetReference(subtract);
        ref var o = ref MemoryMarshal.GetReference(output);
        var divisor = Vector256.Create((float)count);
        var j = 0;
        for (; j + Lanes <= width; j += Lanes)
        {
            var index = (nuint)j;
            var sum = Vector256.LoadUnsafe(ref s, index);
            if (hasAdd)
            {
                sum += Vector256.LoadUnsafe(ref a, index);
            }

            if (hasSubtract)
            {
                sum -= Vector256.LoadUnsafe(ref b, index);
            }

            sum.StoreUnsafe(ref s, index);
            if (hasOutput)
            {
                (sum / divisor).StoreUnsafe(ref o, index);
            }
        }

        for (; j < width; j++)
        {
            var sum = sums[j];
            if (hasAdd)
            {
                sum += add[j];
            }

            if (hasSubtract)
            {
                sum -= subtract[j];
            }

            sums[j] = sum;
            if (hasOutput)
            {
                output[j] = sum / count;
            }
        }
    }

    /// <summary>Row <paramref name="row"/> of column pass 1 is in the block; run row pass 2 on full blocks.</summary>
    private void RowEmitted(int row)
    {
        var index = row & (Lanes - 1);
        if (index != Lanes - 1 && row != _height - 1)
        {
            return;
        }

        var rows = index + 1;
        var block = _block.AsSpan(0, Lanes * _width);
        if (rows < Lanes)
        {
            block[(rows * _width)..].Clear();
        }

        // The strip buffer is free here: row pass 1 of the current strip has finished.
        var strip = _strip.AsSpan(0, Lanes * _width);
        StripTranspose.RowsToStrip(block, _width, strip);
        var lanes = new SampledRowLanes(strip, _sampleColumns, _sampled.AsSpan(0, _height * Size64), row - index, rows);
        BoxFilter.Run(ref lanes, _width, _rowWindow);
    }

    /// <summary>Row pass 1: every output is kept, in strip layout.</summary>
    private readonly ref struct StoreLanes(ReadOnlySpan<float> input, Span<float> output) : IBoxLanes
    {
        private readonly ReadOnlySpan<float> _input = input;
        private readonly Span<float> _output = output;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Load(int index) =>
            Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_input), (nuint)(index * Lanes));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Emit(int index, Vector256<float> sum, Vector256<float> divisor) =>
            (sum / divisor).StoreUnsafe(ref MemoryMarshal.GetReference(_output), (nuint)(index * Lanes));
    }

    /// <summary>Row pass 2: only the sampled columns are divided, into sampled[row][0..63].</summary>
    private ref struct SampledRowLanes(ReadOnlySpan<float> input, int[] sampleColumns, Span<float> sampled, int row0, int rows) : IBoxLanes
    {
        private readonly ReadOnlySpan<float> _input = input;
        private readonly Span<float> _sampled = sampled;
        private int _next;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector256<float> Load(int index) =>
            Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_input), (nuint)(index * Lanes));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Emit(int index, Vector256<float> sum, Vector256<float> divisor)
        {
            // Several outputs may share one column when the image is narrower than 64.
            while (_next < Size64 && sampleColumns[_next] == index)
            {
                var value = sum / divisor;
                for (var k = 0; k < rows; k++)
                {
                    _sampled[((row0 + k) * Size64) + _next] = value.GetElement(k);
                }

                _next++;
            }
        }
    }

    /// <summary>Column pass 2 for 8 of the 64 sampled columns; only the sampled rows are kept.</summary>
    private ref struct SampledColumnLanes(ReadOnlySpan<float> sampled, int group, int[] sampleRows, Span<float> output64x64) : IBoxLanes
    {
        private readonly ReadOnlySpan<float> _sampled = sampled;
        private readonly Span<float> _output = output64x64;
        private int _next;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector256<float> Load(int index) =>
            Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_sampled), (nuint)((index * Size64) + group));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Emit(int index, Vector256<float> sum, Vector256<float> divisor)
        {
            while (_next < Size64 && sampleRows[_next] == index)
            {
                (sum / divisor).StoreUnsafe(ref MemoryMarshal.GetReference(_output), (nuint)((_next * Size64) + group));
                _next++;
            }
        }
    }
}
