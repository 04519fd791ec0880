// Nest and class-validator read decorator metadata through the Reflect API.
import 'reflect-metadata';
