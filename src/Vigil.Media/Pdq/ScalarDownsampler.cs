namespace Vigil.Media;

/// <summary>
/// The reference pipeline written out plainly: full-size luma, two Jarosz passes (rows then
/// columns, twice) over whole buffers, then decimation. Used where AVX2 is missing and by the tests
/// as an independent check of <see cref="StripDownsampler"/>.
/// </summary>
internal sealed class ScalarDownsampler
{
    private float[] _buffer1 = [];
    private float[] _buffer2 = [];

    public void Downsample<TSource>(scoped in TSource source, Span<float> output64x64)
        where TSource : ILumaSource, allows ref struct
    {
        int width = source.Width, height = source.Height;
        var size = width * height;
        if (_buffer1.Length < size)
        {
            _buffer1 = new float[size];
            _buffer2 = new float[size];
        }

        var buffer1 = _buffer1.AsSpan(0, size);
        var buffer2 = _buffer2.AsSpan(0, size);
        for (var row = 0; row < height; row++)
        {
            source.FillRow(row, buffer1.Slice(row * width, width));
        }

        var windowAlongRows = PdqTransform.JaroszWindowSize(width);
        var windowAlongCols = PdqTransform.JaroszWindowSize(height);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < height; i++)
            {
                BoxFilter.Box1D(buffer1[(i * width)..], buffer2[(i * width)..], width, 1, windowAlongRows);
            }

            for (var j = 0; j < width; j++)
            {
                BoxFilter.Box1D(buffer2[j..], buffer1[j..], height, width, windowAlongCols);
            }
        }

        for (var i = 0; i < PdqTransform.Size64; i++)
        {
            var row = PdqTransform.DecimationIndex(i, height);
            for (var j = 0; j < PdqTransform.Size64; j++)
            {
                output64x64[(i * PdqTransform.Size64) + j] = buffer1[(row * width) + PdqTransform.DecimationIndex(j, width)];
            }
        }
    }
}
