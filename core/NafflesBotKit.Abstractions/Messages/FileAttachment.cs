namespace NafflesBotKit.Messages;

/// <summary>A file uploaded with a message.</summary>
/// <param name="FileName">The file name shown in Discord, e.g. "report.csv".</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="ContentType">The MIME type; "application/octet-stream" unless set.</param>
public sealed record FileAttachment(string FileName, ReadOnlyMemory<byte> Content, string ContentType = "application/octet-stream");
