using System.Buffers;
using System.IO.Compression;

namespace NafflesBotKit.Discord.Gateway.Internal;

/// <summary>
/// The zlib-stream decoder of one connection: binary WebSocket messages are appended until the buffer ends with the
/// Z_SYNC_FLUSH marker <c>00 00 ff ff</c>, then inflated through one persistent zlib context. Never reuse across
/// connections (a new connection, resume included, gets a new inflater).
/// </summary>
internal sealed class ZlibStreamInflater : IDisposable
{
    private static ReadOnlySpan<byte> SyncFlush => [0x00, 0x00, 0xff, 0xff];

    private readonly FeedStream _feed = new();
    private readonly ZLibStream _zlib;
    private byte[] _input;
    private int _inputLength;
    private byte[] _output;
    private int _outputLength;

    public ZlibStreamInflater(int initialCapacity = 16 * 1024)
    {
        _zlib = new ZLibStream(_feed, CompressionMode.Decompress, leaveOpen: true);
        _input = ArrayPool<byte>.Shared.Rent(initialCapacity);
        _output = ArrayPool<byte>.Shared.Rent(initialCapacity * 4);
    }

    /// <summary>Space to receive the next bytes of compressed input into.</summary>
    public Memory<byte> GetInputBuffer(int sizeHint = 4096)
    {
        if (_input.Length - _inputLength < sizeHint)
        {
            Grow(ref _input, _inputLength, _inputLength + sizeHint);
        }

        return _input.AsMemory(_inputLength);
    }

    /// <summary>Commits <paramref name="count"/> received bytes.</summary>
    public void Advance(int count) => _inputLength += count;

    /// <summary>Appends compressed bytes (for callers that don't receive in place).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetInputBuffer(bytes.Length).Span);
        _inputLength += bytes.Length;
    }

    /// <summary>Whether the buffered input ends a zlib-stream message.</summary>
    public bool HasCompleteMessage => _inputLength >= 4 && _input.AsSpan(_inputLength - 4, 4).SequenceEqual(SyncFlush);

    /// <summary>Number of buffered compressed bytes.</summary>
    public int BufferedInput => _inputLength;

    /// <summary>
    /// Inflates the buffered input (which must end with the marker) and returns the decompressed payload; valid until
    /// the next call.
    /// </summary>
    public ReadOnlySpan<byte> Inflate()
    {
        _feed.Set(_input, _inputLength);
        _outputLength = 0;
        while (true)
        {
            if (_output.Length - _outputLength < 4096)
            {
                Grow(ref _output, _outputLength, _output.Length * 2);
            }

            var read = _zlib.Read(_output, _outputLength, _output.Length - _outputLength);
            if (read == 0)
            {
                break;
            }

            _outputLength += read;
        }

        _inputLength = 0;
        return _output.AsSpan(0, _outputLength);
    }

    public void Dispose()
    {
        _zlib.Dispose();
        ArrayPool<byte>.Shared.Return(_input);
        ArrayPool<byte>.Shared.Return(_output);
        _input = [];
        _output = [];
    }

    private static void Grow(ref byte[] buffer, int used, int minimum)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(minimum, buffer.Length * 2));
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
    }

    /// <summary>Serves the current message's bytes to the zlib stream; reports end-of-input when drained.</summary>
    private sealed class FeedStream : Stream
    {
        private byte[] _buffer = [];
        private int _length;
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Set(byte[] buffer, int length)
        {
            _buffer = buffer;
            _length = length;
            _position = 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, _length - _position);
            _buffer.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
