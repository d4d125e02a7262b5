"""StreamMasker: secrets split across chunks are masked; what cannot start a secret goes out at once."""

from radlab.server.scrub import StreamMasker


def test_secret_split_across_chunks_is_masked() -> None:
    m = StreamMasker([b"kubeconfig-u-radlab:s3cret"])
    out = m.feed(b'{"echo":"Bearer kubeconfig-u-') + m.feed(b'radlab:s3cret"}\n') + m.close()
    assert out == b'{"echo":"Bearer ***"}\n'


def test_a_chunk_ending_where_no_secret_starts_is_not_held_back() -> None:
    # a watch event: its line must reach the browser now, not with the next event
    m = StreamMasker([b"kubeconfig-u-radlab:s3cret"])
    event = b'{"type":"MODIFIED","object":{"metadata":{"name":"train-1"}}}\n'
    assert m.feed(event) == event
    # only a tail that could start the secret waits for more
    assert m.feed(b'{"x":"kube') == b'{"x":"'
    assert m.feed(b'rnetes"}\n') == b'kubernetes"}\n'
    assert m.close() == b""
