// Integration tests wait for real servers (elections, restarts): Jest's 5 s default is too short.
jest.setTimeout(120000);
